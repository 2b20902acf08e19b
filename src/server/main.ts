// Standalone server entry point (dist/server.js).
console.error('secure-chat server: not implemented yet');
process.exitCode = 1;
