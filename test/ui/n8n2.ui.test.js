require('./scenarios').describeEditor(2);
