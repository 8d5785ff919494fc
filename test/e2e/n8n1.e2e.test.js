'use strict';
require('./suite').describeN8n(1);
