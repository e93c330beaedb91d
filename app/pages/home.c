/* GET /: the landing page, or the dashboard for a signed-in runner. */
#include "pages/pages.h"
#include "view/view.h"

int
page_home(struct request *req, struct response *res)
{
	if (req->runner != NULL)
		return page_dashboard(req, res);
	return view_page(req, res, 200, "home", json_object());
}
