/*
 * Sign-up: preselects the browser's time zone (issue 15.8).  Without
 * JavaScript the field keeps the server's default (UTC) and the runner
 * can type or pick one; this only fills it in when the runner has not
 * touched it.  Loaded as a file: the CSP allows no inline script.
 */
(function () {
	'use strict';
	var input = document.getElementById('timezone');
	var zone;

	if (!input || input.dataset.touched === 'yes' || !window.Intl)
		return;
	try {
		zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
	} catch (e) {
		return;
	}
	if (typeof zone === 'string' && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) &&
	    zone.length < 64 && input.value === input.defaultValue)
		input.value = zone;
})();
