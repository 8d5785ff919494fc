/**
 * A JPEG's size and coding process from its frame header, read before any pixel memory is taken. A coding
 * process the decoder leaves out is reported in `unsupported` instead of thrown, so the caller can still
 * decide to send the file as it is.
 */
import { ImageFormatError } from '../types';
import { EOI, isFrameMarker, readSegment, SOI, SOS, unsupportedProcess } from './segments';

export interface JpegHeader {
	width: number;
	height: number;
	components: number;
	progressive: boolean;
	/** What the decoder cannot handle (e.g. 'CMYK colour (4 components)'), or null. */
	unsupported: string | null;
}

export function readJpegHeader(bytes: Uint8Array): JpegHeader {
	if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) throw new ImageFormatError('This is not a JPEG: it does not start with the SOI marker');
	for (let pos = 2; ; ) {
		const segment = readSegment(bytes, pos);
		if (segment.marker === SOS || segment.marker === EOI) throw new ImageFormatError('The JPEG is damaged: it has no frame header (SOF) before its image data');
		if (isFrameMarker(segment.marker)) {
			const p = segment.dataStart;
			if (segment.end - p < 6) throw new ImageFormatError('The JPEG is damaged: its frame header (SOF) is too short');
			const precision = bytes[p];
			const height = (bytes[p + 1] << 8) | bytes[p + 2];
			const width = (bytes[p + 3] << 8) | bytes[p + 4];
			const components = bytes[p + 5];
			let unsupported = unsupportedProcess(segment.marker);
			const progressive = segment.marker === 0xc2;
			if (unsupported === null && precision !== 8) unsupported = `${precision}-bit samples`;
			if (unsupported === null && components === 4) unsupported = 'CMYK colour (4 components)';
			if (unsupported === null && components !== 1 && components !== 3) unsupported = `${components} colour components`;
			if (height === 0) unsupported = unsupported ?? 'a height given later in a DNL segment';
			if (width === 0) throw new ImageFormatError('The JPEG is damaged: its frame header says it is 0 pixels wide');
			return { width, height, components, progressive, unsupported };
		}
		pos = segment.end;
	}
}
