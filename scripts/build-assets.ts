/** Build-time assets: trimmed word vectors and the trained built-in model. Filled in by the classifier. */
process.stdout.write('build-assets: nothing to build yet\n');
