// Browser side of the chat panel: renders and collects input; holds no keys.
const app = document.getElementById('app');
if (app) {
  const heading = document.createElement('h2');
  heading.textContent = 'Secure Chat';
  app.append(heading);
}
