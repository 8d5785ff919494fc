'use strict';
require('./suite').describeN8n(2);
