package http

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"bayu/workflow"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// readBody reads a request body of at most maxJSONBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, workflow.Errorf(workflow.CodeTooLarge, "请求内容超过 1 MiB", "the body is over 1 MiB")
	}
	if err != nil {
		return nil, workflow.Errorf(workflow.CodeBadRequest, "无法读取请求内容", "cannot read the body")
	}
	return body, nil
}

// idParam reads a positive integer id from the path.
func idParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return 0, workflow.Errorf(workflow.CodeNotFound, "展品不存在", "no such exhibit")
	}
	return id, nil
}
