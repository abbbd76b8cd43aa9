// Marks the page as having JavaScript (and a browser the NHS.UK frontend supports) as early as possible, from a
// file rather than inline so the Content-Security-Policy need not allow inline scripts.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
