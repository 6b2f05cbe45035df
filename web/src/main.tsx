import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { App } from './App';
import { captureKioskToken } from './lib/kioskToken';
import { client } from './lib/urql';
import './styles/base.css';

// Before anything renders or fetches: take the kiosk token out of the address bar. Only on the board: the survey and
// resolution links of customer mail carry tokens of their own in the fragment, which are not API credentials.
if (window.location.pathname.replace(/\/+$/, '') === '/wallboard') captureKioskToken();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <Provider value={client}>
      <App />
    </Provider>
  </StrictMode>,
);
