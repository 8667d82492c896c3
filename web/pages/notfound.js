// Unknown paths inside the app.
import { t } from '../i18n.js';
import { h, heading } from '../dom.js';

export async function render(root, { app }) {
  app.setTitle(t('notfound.title'));
  root.append(
    h('div', { class: 'card narrow center', testid: 'not-found' }, heading(t('notfound.title')), h('p', {}, t('notfound.body')), h('a', { href: '/', class: 'btn btn-primary' }, t('notfound.home')))
  );
}
