// A fresh jsdom document for a test.
import { JSDOM } from 'jsdom';

export function newDocument(): Document {
  return new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document;
}
