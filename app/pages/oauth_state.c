#include <sodium.h>
#include <string.h>

#include "pages/oauth_state.h"
#include "view/view.h"
#include "web/session.h"

#define STATE_BYTES	32
#define HASH_HEX	(2 * crypto_hash_sha256_BYTES + 1)

static void
state_hash(const char *state, char hex[HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)state, strlen(state));
	sodium_bin2hex(hex, HASH_HEX, h, sizeof(h));
}

int
oauth_state_begin(struct request *req, enum oauth_provider pr,
    char state[OAUTH_STATE_TEXT_MAX])
{
	unsigned char	raw[STATE_BYTES];
	char		hex[HASH_HEX];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(state, OAUTH_STATE_TEXT_MAX, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	state_hash(state, hex);
	return db_oauth_state_new(req->db, pr, hex, req->session_id,
	    req->runner->id);
}

int
oauth_state_check(struct request *req, struct response *res,
    enum oauth_provider pr, const char *service)
{
	const char	*state = req_query(req, "state");
	char		 hex[HASH_HEX];
	int		 fresh;

	if (*state == '\0' || strlen(state) >= OAUTH_STATE_TEXT_MAX) {
		view_error(req, res, 400, arena_printf(req->arena, "This %s "
		    "connection attempt is not valid. Start again from your "
		    "settings.", service));
		return 0;
	}
	state_hash(state, hex);
	if ((fresh = db_oauth_state_take(req->db, pr, hex, req->session_id,
	    req->runner->id)) == 1 || fresh == -1)
		return fresh;
	view_error(req, res, 400, arena_printf(req->arena, "This %s "
	    "connection attempt has expired or was already used. Start again "
	    "from your settings.", service));
	return 0;
}

int
oauth_redirect(struct request *req, struct response *res, const char *url)
{
	resp_clear(res);
	res->status = 302;
	res->html = false;
	res->no_store = true;
	res->content_type = "text/plain; charset=utf-8";
	if (resp_header(res, req->arena, "Location", url) != 0)
		return -1;
	buf_puts(&res->body, "Found\n");
	return 0;
}
