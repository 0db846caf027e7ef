package http

import (
	"github.com/go-chi/chi/v5"

	"bayu/workflow"
)

// custodyPages are the signed-in pages of items after acceptance: the
// printable agreement (whoever may see the item), the exhibitions and the
// consignment list (coordinators plan and sell, auditors read).
func (s *uiServer) custodyPages(r chi.Router) {
	managers := s.rolePage(workflow.Coordinator, workflow.Auditor)
	r.Get("/exhibits/{id}/agreement", s.agreementPage)
	r.With(managers).Get("/exhibitions", s.exhibitionsPage)
	r.With(s.rolePage(workflow.Coordinator)).Post("/exhibitions", s.exhibitionSubmit)
	r.With(managers).Get("/exhibitions/{id}", s.exhibitionPage)
	r.With(managers).Get("/consignments", s.consignmentsPage)
}

// publicPages need no login: the gallery of the library and the form through
// which holders offer items. Neither shows personal data.
func (s *uiServer) publicPages(r chi.Router) {
	r.Get("/gallery", s.galleryPage)
	r.Get("/gallery/{id}", s.galleryItemPage)
	r.Get("/gallery/photos/{id}", s.galleryPhoto)
	r.Get("/submit", s.submitPage)
	r.Post("/submit", s.submitPost)
	r.Get("/submit/thanks", s.submitThanks)
}
