package http

// emptyViews gives each page an empty view, rendered at start-up in every
// language to check the templates before a user sees them. A page without an
// entry here fails the check, so a new page cannot skip it.
func emptyViews() map[string]pageView {
	return map[string]pageView{
		"login":       &loginView{},
		"error":       &errorView{},
		"exhibits":    &exhibitsView{},
		"exhibit":     &exhibitView{},
		"exhibit_new": &newExhibitView{},
		"diagram":     &diagramView{},
		"dashboard":   &dashboardView{},
		"workspace":   &workspaceView{},
		"queue":       &queueView{},
		"list_import": &importView{},
		"audit":       &auditView{},
		// Agreements, exhibitions, consignments and the public pages (ui_pages.go).
		"agreement":    &agreementView{},
		"exhibitions":  &exhibitionsView{},
		"exhibition":   &exhibitionView{},
		"consignments": &consignmentsView{},
		"gallery":      &galleryView{},
		"gallery_item": &galleryItemView{},
		"submit":       &submitView{},
		"submit_done":  &submitDoneView{},
	}
}
