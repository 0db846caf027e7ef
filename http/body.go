package http

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"bayu/workflow"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// readBody reads a JSON request body of at most maxJSONBody bytes. A body declared
// as anything but JSON is refused: besides being wrong, a text/plain or form post
// is what a cross-site page can send without asking.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, workflow.Errorf(workflow.CodeUnsupportedMedia, "请求内容必须是 JSON（Content-Type: application/json）",
				"the body must be JSON (Content-Type: application/json)")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, workflow.Errorf(workflow.CodeTooLarge, "请求内容超过 1 MiB", "the body is over 1 MiB")
	}
	if err != nil {
		return nil, workflow.Errorf(workflow.CodeBadRequest, "无法读取请求内容", "cannot read the body")
	}
	if !utf8.Valid(body) {
		return nil, workflow.Errorf(workflow.CodeBadRequest, "请求内容不是有效的 UTF-8", "the body is not valid UTF-8")
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
