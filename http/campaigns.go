package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/campaign"
)

func (s *Server) campaignRoutes() []route {
	coordinators := only(workflow.Coordinator)
	return []route{
		{Method: "POST", Pattern: "/campaigns", Summary: "Create a campaign and put it in force (the 2022 notice's calendar when phases are left out)",
			Access: coordinators, Handler: s.createCampaign, Request: campaignInput{}, Response: store.Campaign{}, Status: http.StatusCreated},
		{Method: "GET", Pattern: "/campaigns/current", Summary: "The campaign in force", Access: signedIn,
			Handler: s.currentCampaign, Response: store.Campaign{}},
		{Method: "GET", Pattern: "/campaigns/{id}", Summary: "One campaign", Access: signedIn,
			Handler: s.getCampaign, Response: store.Campaign{}},
		{Method: "PATCH", Pattern: "/campaigns/{id}", Summary: "Edit a campaign's name and dates; the edit is kept in its history",
			Access: coordinators, Handler: s.patchCampaign, Request: store.CampaignPatch{}, Response: store.Campaign{}},
		{Method: "GET", Pattern: "/campaigns/{id}/progress", Summary: "Per unit: counts by state, recommended, quota, short by; and the current phase",
			Access: signedIn, Handler: s.campaignProgress, Response: store.Progress{}},
		{Method: "GET", Pattern: "/campaigns/{id}/history", Summary: "A campaign's creation, edits and list close, oldest first",
			Access: only(workflow.Coordinator, workflow.Auditor), Handler: s.campaignHistory, Response: campaignHistoryBody{}},
	}
}

// campaignInput is the body of POST /campaigns. Without phases the 2022
// notice's calendar is moved to year; without a name the notice's title is used.
type campaignInput struct {
	Name    string           `json:"name"`
	Year    int              `json:"year"`
	Phases  []campaign.Phase `json:"phases"`
	OpensOn workflow.Date    `json:"opens_on"`
}

type campaignHistoryBody struct {
	Events []store.CampaignEvent `json:"events"`
}

// decodeStrict reads a JSON body, refusing unknown fields: a misspelt date
// field silently ignored would leave a deadline where it was.
func decodeStrict(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return workflow.Errorf(workflow.CodeBadRequest, "请求内容不是有效的 JSON，或含有未知字段、无效日期（YYYY-MM-DD）",
			"the body is not valid JSON, or has an unknown field or a date that is not YYYY-MM-DD")
	}
	return nil
}

// campaignID reads the {id} of a campaign route.
func campaignID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return 0, workflow.Errorf(workflow.CodeNotFound, "征集活动不存在", "no such campaign")
	}
	return id, nil
}

func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request) error {
	var in campaignInput
	if err := decodeStrict(w, r, &in); err != nil {
		return err
	}
	c := campaign.Default(in.Year)
	if in.Name != "" {
		c.Name = in.Name
	}
	if len(in.Phases) > 0 {
		c.Phases = in.Phases
	}
	if !in.OpensOn.IsZero() {
		c.OpensOn = in.OpensOn
	} else if len(in.Phases) > 0 {
		// Collection opens with the report phase unless said otherwise.
		if p, ok := c.Phase(campaign.PhaseReport); ok {
			c.OpensOn = p.StartsOn
		}
	}
	out, err := s.store.CreateCampaign(r.Context(), actorOf(r), c)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/campaigns/"+strconv.FormatInt(out.ID, 10))
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) currentCampaign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.CurrentCampaign(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) getCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	c, err := s.store.Campaign(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) patchCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	var p store.CampaignPatch
	if err := decodeStrict(w, r, &p); err != nil {
		return err
	}
	c, err := s.store.UpdateCampaign(r.Context(), actorOf(r), id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) campaignProgress(w http.ResponseWriter, r *http.Request) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	p, err := s.store.CampaignProgress(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) campaignHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	h, err := s.store.CampaignHistory(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, campaignHistoryBody{Events: h})
	return nil
}
