// Browser side of the chat panel: renders and collects input; holds no keys.
import { parseHostToView } from '../protocol/panel';
import { ChatPanel } from './chatPanel';
import { connectToHost } from './hostApi';

const root = document.getElementById('app');
if (root) {
  const host = connectToHost();
  const panel = new ChatPanel(document, root, host, host.initialState);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseHostToView(event.data);
    if (message.ok) panel.handle(message.value);
    else console.warn(`Secure Chat panel: dropped a malformed message from the host (${message.error})`);
  });
  host.post({ type: 'ready' });
}
