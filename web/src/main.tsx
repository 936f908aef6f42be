import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { hashAddressFor } from './lib/routes.js';
import './styles.css';

// A path-style link (`/portfolio`), which the server answers with this page, opens the page it names:
// the address becomes its hash form (`/#/portfolio`) before the router reads it, without a reload.
const hashAddress = hashAddressFor(window.location);
if (hashAddress !== undefined) window.history.replaceState(window.history.state, '', hashAddress);

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
