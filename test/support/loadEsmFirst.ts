// Loaded by mocha (`require` in each .mocharc) before any test file. @noble/curves is an ES module
// that the compiled (CommonJS) sources require(); mocha import()s test files, and on Node 20 a
// require() of an ES module that the import() loader is fetching at the same moment aborts the
// process ("v8::Module::IsGraphAsync must be used on an instantiated module"). Loading it once here,
// alone, leaves it evaluated in the cache before any test file races for it. The bundles in dist/
// are not affected: esbuild turns the module into CommonJS.
import '@noble/curves/ed25519.js';
