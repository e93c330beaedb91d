/*
 * Calendar: move a workout to another day by dragging it, or with the
 * keyboard (issue 15.9).  Progressive enhancement: without JavaScript the
 * workout page's "Change this workout" form moves it; this only posts the
 * same form (POST /workouts/ID/edit with the new date and back=calendar)
 * from the calendar.  The first move keeps the planned date, which the
 * workout page shows ("moved from").
 *
 * Keyboard and touch: each workout gets a "Move" button; pressing it
 * turns every other day of the plan into a "Move here" button (Escape or
 * "Cancel" to stop).  A mouse can drag a workout onto a day instead.
 */
(function () {
	'use strict';
	var form = document.getElementById('move-form');
	var status = document.getElementById('move-status');
	var moving = null;	/* the workout link being moved */

	if (!form || !status || !document.querySelector)
		return;

	function days() {
		return Array.prototype.slice.call(
		    document.querySelectorAll('.cal-day[data-date]'));
	}

	function submitMove(link, date) {
		var from = link.closest('.cal-day');

		if (!date || (from && from.getAttribute('data-date') === date))
			return stop('Not moved: that is its day already.');
		form.action = '/workouts/' + link.getAttribute('data-workout') + '/edit';
		form.elements.date.value = date;
		status.textContent = 'Moving ' + link.getAttribute('data-label') + '…';
		form.submit();
	}

	function stop(message) {
		document.body.classList.remove('cal-moving');
		days().forEach(function (day) {
			var b = day.querySelector('.move-here');
			if (b)
				b.remove();
		});
		if (moving) {
			moving.classList.remove('is-moving');
			var again = moving.parentNode.querySelector('.move-btn');
			moving = null;
			if (again)
				again.focus();
		}
		status.textContent = message || '';
	}

	function start(link) {
		var first = null;

		stop();
		moving = link;
		link.classList.add('is-moving');
		document.body.classList.add('cal-moving');
		days().forEach(function (day) {
			var b = document.createElement('button');
			var here = day === link.closest('.cal-day');

			b.type = 'button';
			b.className = 'btn btn-small move-here';
			b.textContent = here ? 'Cancel' : 'Move here';
			if (!here) {
				var hidden = document.createElement('span');
				hidden.className = 'visually-hidden';
				hidden.textContent = ': ' + day.getAttribute('data-label');
				b.appendChild(hidden);
			}
			b.addEventListener('click', function () {
				if (here)
					stop('Not moved.');
				else
					submitMove(link, day.getAttribute('data-date'));
			});
			day.appendChild(b);
			if (!first && !here)
				first = b;
		});
		status.textContent = 'Moving ' + link.getAttribute('data-label') +
		    ': choose its new day with a Move here button, or press Escape.';
		if (first)
			first.focus();
	}

	document.querySelectorAll('a.wk[data-workout]').forEach(function (link) {
		var b = document.createElement('button');

		b.type = 'button';
		b.className = 'move-btn';
		b.textContent = 'Move';
		var hidden = document.createElement('span');
		hidden.className = 'visually-hidden';
		hidden.textContent = ' ' + link.getAttribute('data-label') + ' to another day';
		b.appendChild(hidden);
		b.addEventListener('click', function () { start(link); });
		link.insertAdjacentElement('afterend', b);

		link.setAttribute('draggable', 'true');
		link.addEventListener('dragstart', function (e) {
			moving = link;
			link.classList.add('is-moving');
			e.dataTransfer.effectAllowed = 'move';
			e.dataTransfer.setData('text/plain', link.getAttribute('data-workout'));
		});
		link.addEventListener('dragend', function () {
			link.classList.remove('is-moving');
		});
	});

	days().forEach(function (day) {
		day.addEventListener('dragover', function (e) {
			if (!moving)
				return;
			e.preventDefault();
			e.dataTransfer.dropEffect = 'move';
			day.classList.add('is-drop');
		});
		day.addEventListener('dragleave', function () {
			day.classList.remove('is-drop');
		});
		day.addEventListener('drop', function (e) {
			e.preventDefault();
			day.classList.remove('is-drop');
			if (moving)
				submitMove(moving, day.getAttribute('data-date'));
		});
	});

	document.addEventListener('keydown', function (e) {
		if (e.key === 'Escape' && document.body.classList.contains('cal-moving'))
			stop('Not moved.');
	});
})();
