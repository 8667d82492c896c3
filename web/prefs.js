// The reader's choices kept in this browser, signed in or not (the server keeps no preferences
// for them): whether works with AI-drawn covers stay out of the catalog. The catalog lists send
// it as ?aiCovers=hide (so do the rankings); lists that show such a work anyway (the library, continue reading, an
// author's page) set its title and pen name in type instead of the cover.
const HIDE_AI_COVERS = 'wl.hideAiCovers';

export function hidesAiCovers() {
  try {
    return localStorage.getItem(HIDE_AI_COVERS) === '1';
  } catch {
    return false;
  }
}

export function setHidesAiCovers(on) {
  try {
    if (on) localStorage.setItem(HIDE_AI_COVERS, '1');
    else localStorage.removeItem(HIDE_AI_COVERS);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}
