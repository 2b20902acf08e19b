// No link previews (docs/SECURITY.md): a message the panel shows fetches nothing. Links stay links
// (opened by the host only when clicked), image syntax never becomes an image, and no rendered
// element or attribute can make the page load a resource. Rendered into a jsdom page whose
// resource loader records every request it is asked for.
import * as assert from 'assert';
import { JSDOM, ResourceLoader } from 'jsdom';
import { ChatItem, isWebLink } from '../../../src/protocol/panel';
import { renderRow } from '../../../src/webview/messageView';

/** Elements that fetch what they name (or embed a page), and attributes that do. */
const FETCHING_TAGS = ['img', 'picture', 'source', 'video', 'audio', 'track', 'iframe', 'frame', 'object', 'embed', 'link', 'script', 'style', 'input', 'image', 'use', 'meta', 'base'];
const FETCHING_ATTRIBUTES = ['src', 'srcset', 'poster', 'data', 'background', 'style', 'xlink:href', 'ping', 'formaction', 'action'];

const TEXTS = [
  '![a picture](https://tracker.example/pixel.png)',
  'see https://tracker.example/page and [docs](https://tracker.example/docs)',
  '<img src="https://tracker.example/x.png"> <link rel="prefetch" href="https://tracker.example/p">',
  '[![nested](https://tracker.example/i.png)](https://tracker.example/)',
  '<iframe src="https://tracker.example/"></iframe><video poster="https://tracker.example/v.png"></video>',
  '<div style="background:url(https://tracker.example/bg.png)">x</div>',
];

class RecordingLoader extends ResourceLoader {
  readonly requested: string[] = [];

  override fetch(url: string): ReturnType<ResourceLoader['fetch']> {
    this.requested.push(url);
    return null;
  }
}

describe('panel: no link previews', () => {
  it('renders messages with links, image syntax and HTML without any element or attribute that loads a resource, and requests nothing', () => {
    const loader = new RecordingLoader();
    const { document } = new JSDOM('<!DOCTYPE html><html><body></body></html>', { resources: loader, runScripts: 'outside-only' }).window;
    for (const [index, text] of TEXTS.entries()) {
      const item: ChatItem = { id: index.toString(16).padStart(2, '0'), username: 'mallory', timestamp: 0, text, own: false, status: 'sent' };
      document.body.appendChild(renderRow(document, { kind: 'message', key: item.id, item, head: true }, { me: 'dana', now: 0, firstUnread: null, highlighted: null, reactions: () => [] }));
    }
    assert.deepStrictEqual(Array.from(document.body.querySelectorAll(FETCHING_TAGS.join(','))).map((node) => node.tagName), []);
    const fetching = Array.from(document.body.querySelectorAll('*')).flatMap((node) => FETCHING_ATTRIBUTES.filter((name) => node.hasAttribute(name)).map((name) => `${node.tagName} ${name}`));
    assert.deepStrictEqual(fetching, []);
    assert.deepStrictEqual(loader.requested, []);
    // A URL stays a link the user may click (the host opens it in the browser), also an image's.
    const links = Array.from(document.body.querySelectorAll('a')).map((link) => link.getAttribute('href'));
    assert.ok(links.includes('https://tracker.example/pixel.png') && links.includes('https://tracker.example/docs'));
    assert.ok(links.every((href) => href !== null && isWebLink(href)));
  });
});
