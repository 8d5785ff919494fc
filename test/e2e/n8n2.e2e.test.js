'use strict';
require('./suite').describeN8n(2);
require('./sticker-formats').describeStickerFormats(2);
require('./sticker-packs').describeStickerPacks(2);
require('./phone-photos').describePhonePhotos(2);
