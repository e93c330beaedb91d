/* The signed-in runner's dashboard (GET /). */
#include "pages/pages.h"
#include "view/view.h"

int
page_dashboard(struct request *req, struct response *res)
{
	return view_page(req, res, 200, "dashboard", json_pack("{s:{s:b}, s:o}",
	    "nav", "home", 1, "strava", settings_strava_json(req)));
}
