package http

import (
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"bayu/workflow"
)

// route is one API endpoint under /api/v1: how it is reached, who may call it,
// and what it takes and gives. The table of routes is the one place where access
// is decided and the source of the OpenAPI document.
type route struct {
	Method   string
	Pattern  string // chi pattern below /api/v1, e.g. "/exhibits/{id}"
	Summary  string // one line for people reading the API description
	Access   access
	Handler  handlerFunc
	Query    []string // query parameters it reads
	Request  any      // a value of the JSON body type; nil when there is no JSON body
	Response any      // a value of the 2xx JSON body type; nil for non-JSON answers
	Produces string   // content type when the answer is not JSON
	Status   int      // the success status when it is not 200 OK, e.g. 201 Created
	Consumes string   // content type of a raw (non-JSON) request body, e.g. an upload
	// ChecksTokenItself marks a handler that passes the request's bearer token to
	// the store to be checked in its own transaction (uncheckedToken), so that a
	// token accepted lately is not looked up a second time first.
	ChecksTokenItself bool
}

// access says who may call a route. Exhibit-level rules (a district sees only its
// own unit, an evaluator only recommended items) are applied by the store on top.
type access struct {
	public bool            // no credentials needed
	roles  []workflow.Role // nil: every signed-in role
}

var (
	public   = access{public: true}
	signedIn = access{}
)

func only(roles ...workflow.Role) access { return access{roles: roles} }

// allows reports whether an authenticated actor passes the route's role rule.
func (a access) allows(role workflow.Role) bool {
	return a.public || a.roles == nil || slices.Contains(a.roles, role)
}

// routes lists every API route. A feature adds its routes by appending its own list.
func (s *Server) routes() []route {
	return slices.Concat(
		[]route{s.openAPIRoute()},
		s.workflowRoutes(),
		s.sessionRoutes(),
		s.exhibitRoutes(),
		s.mediaRoutes(),
		s.agreementRoutes(),
		s.campaignRoutes(),
		s.notificationRoutes(),
		s.calendarRoutes(),
		s.auditRoutes(), s.transitionRoutes(),
		s.listRoutes(),
		s.custodyRoutes(), s.exhibitionRoutes(), s.galleryRoutes(),
	)
}

// mountAPI registers the routes, each behind its access rule.
func (s *Server) mountAPI(r chi.Router) {
	for _, rt := range s.routes() {
		h := http.Handler(s.handle(rt.Handler))
		if !rt.Access.public {
			h = s.authenticate(rt, s.authorize(rt.Access, h))
		}
		r.Method(rt.Method, rt.Pattern, h)
	}
}

// authorize refuses a signed-in actor whose role the route does not allow.
func (s *Server) authorize(a access, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if actor := actorOf(r); !a.allows(actor.Role) {
			s.writeError(w, r, workflow.Errorf(workflow.CodeForbidden, "当前角色无权执行此操作", "your role may not do this"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
