'use strict';
require('./suite').describeN8n(1);
require('./sticker-formats').describeStickerFormats(1);
require('./sticker-packs').describeStickerPacks(1);
require('./phone-photos').describePhonePhotos(1);
