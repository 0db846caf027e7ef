package http

import (
	"net/http"

	"bayu/workflow"
)

type workflowBody struct {
	States []workflow.State      `json:"states"`
	Events []workflow.Transition `json:"events"`
}

func (s *Server) workflowRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/workflow", Summary: "The exhibit state machine: states and events", Access: public,
			Handler: s.getWorkflow, Response: workflowBody{}},
		{Method: "GET", Pattern: "/workflow.mmd", Summary: "The state machine as a Mermaid diagram", Access: public,
			Handler: s.getDiagram("mmd"), Produces: "text/plain"},
		{Method: "GET", Pattern: "/workflow.dot", Summary: "The state machine as a Graphviz diagram", Access: public,
			Handler: s.getDiagram("dot"), Produces: "text/plain"},
	}
}

func (s *Server) getWorkflow(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, workflowBody{States: workflow.States(), Events: workflow.Table()})
	return nil
}

func (s *Server) getDiagram(format string) handlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) error {
		text, err := workflow.Diagram(format)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, err = w.Write([]byte(text))
		return err
	}
}
