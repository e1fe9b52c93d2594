// Stand-alone entry: synthetic shadow (lightning-base-components needs it), then the shell.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import Shell from 'app/shell';

const root = document.getElementById('root');
root.textContent = '';
root.appendChild(createElement('app-shell', { is: Shell }));
