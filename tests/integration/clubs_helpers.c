/* clubs_helpers: see clubs_helpers.h. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clubs_helpers.h"

void
club_new(struct client *owner, const char *prefix, const char *name,
    char slug[CLUB_SLUG_LEN])
{
	static int	 n;
	struct http_resp r;
	char		 form[512];

	snprintf(slug, CLUB_SLUG_LEN, "%s-%d-%d-%ld", prefix, (int)getpid(),
	    n++, (long)random() % 100000);
	client_get(owner, "/clubs/new", &r);
	resp_done(&r);
	snprintf(form, sizeof(form), "name=%s&slug=%s", urlenc(name), slug);
	cr_assert_eq(client_post(owner, "/clubs/new", form, &r), 303,
	    "new club %s: %ld %.300s", slug, r.status, buf_cstr(&r.body));
	resp_done(&r);
}

void
club_invite(struct client *owner, const char *slug, const char *role,
    char token[CLUB_TOKEN_LEN])
{
	struct http_resp r;
	char		 path[128], form[64];
	const char	*t;

	snprintf(path, sizeof(path), "/c/%s/invitations", slug);
	snprintf(form, sizeof(form), "role=%s&label=Test", role);
	cr_assert_eq(client_post(owner, path, form, &r), 201, "invite: %ld",
	    r.status);
	t = strstr(buf_cstr(&r.body), "/join?t=");
	cr_assert_not_null(t, "no link on the page");
	snprintf(token, CLUB_TOKEN_LEN, "%.64s", t + 8);
	cr_assert_eq(strspn(token, "0123456789abcdef"), 64, "token %s", token);
	resp_done(&r);
}

const char *
club_link(const char *slug, const char *token)
{
	static char path[160];

	snprintf(path, sizeof(path), "/c/%s/join?t=%s", slug, token);
	return path;
}

void
club_join(struct client *c, const char *slug, const char *token)
{
	struct http_resp r;
	char		 path[128], form[96];

	cr_assert_eq(client_get(c, club_link(slug, token), &r), 200,
	    "join page: %ld", r.status);
	resp_done(&r);
	snprintf(path, sizeof(path), "/c/%s/join", slug);
	snprintf(form, sizeof(form), "t=%s", token);
	cr_assert_eq(client_post(c, path, form, &r), 303, "join: %ld %.300s",
	    r.status, buf_cstr(&r.body));
	resp_done(&r);
}

const char *
user_id_of(const char *email)
{
	static char id[64];

	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM users WHERE"
	    " email = '%s'", email));
	return id;
}

void
club_member(struct client *c, struct client *owner, const char *slug,
    const char *role, const char *prefix, char email[128], char id[64])
{
	char token[CLUB_TOKEN_LEN];

	client_signup(c, prefix, email);
	snprintf(id, 64, "%s", user_id_of(email));
	club_invite(owner, slug, role, token);
	club_join(c, slug, token);
}
