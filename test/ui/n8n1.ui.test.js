require('./scenarios').describeEditor(1);
