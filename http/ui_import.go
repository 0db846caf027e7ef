package http

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/listform"
)

// importView is a list import: the dry run's preview with a button to confirm,
// or every row error of a refused file.
type importView struct {
	page
	FileName  string
	File      string // the uploaded file, base64, carried to the confirming post
	Recommend bool
	Result    *store.ListImportResult
	Error     string
	RowErrors []listform.LocalRowError
}

// importFormLimit bounds the upload form: the file's limit and its base64 copy
// when the preview is confirmed, with room for the envelope.
const importFormLimit = listform.MaxFileBytes*4/3 + 1<<20

// importSubmit runs a district's uploaded list form as a dry run and shows what
// it would do; with confirm=1 it imports the very file that was previewed, all
// rows or none, as POST /api/v1/districts/{code}/lists does.
func (s *uiServer) importSubmit(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	r.Body = http.MaxBytesReader(w, r.Body, importFormLimit)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.renderError(w, r, workflow.Errorf(workflow.CodeTooLarge, "文件过大（上限 10 MB）", "the file is too large (10 MB at most)"))
		return
	}
	v := &importView{page: page{Title: s.t(r, "import.title"), Nav: "workspace"}, Recommend: r.PostFormValue("recommend") != ""}
	data, err := s.uploaded(r, v)
	if err != nil {
		v.Error, _ = s.reason(r, err)
		s.render(w, r, http.StatusBadRequest, "list_import", v)
		return
	}
	confirm := r.PostFormValue("confirm") != ""
	list, err := listform.ParseBytes(data, listform.Options{})
	if err == nil {
		v.Result, err = s.store.ImportList(r.Context(), a, store.ListImport{District: a.District, List: list, DryRun: !confirm, Recommend: v.Recommend})
	}
	if err != nil {
		var le *listform.Error
		status := http.StatusUnprocessableEntity
		if errors.As(err, &le) {
			v.Error, v.RowErrors = le.Message.In(apiLang(langOf(r))), le.In(apiLang(langOf(r)))
		} else {
			v.Error, status = s.reason(r, err)
		}
		v.File = ""
		s.render(w, r, status, "list_import", v)
		return
	}
	if confirm {
		q := url.Values{"created": {strconv.Itoa(v.Result.Created)}, "updated": {strconv.Itoa(v.Result.Updated)},
			"unchanged": {strconv.Itoa(v.Result.Unchanged)}}
		http.Redirect(w, r, "/workspace?"+q.Encode(), http.StatusSeeOther)
		return
	}
	v.File = base64.StdEncoding.EncodeToString(data)
	s.render(w, r, http.StatusOK, "list_import", v)
}

// uploaded is the file of the form: the upload itself, or the previewed copy.
func (s *uiServer) uploaded(r *http.Request, v *importView) ([]byte, error) {
	if b64 := r.PostFormValue("file_data"); b64 != "" {
		v.FileName = r.PostFormValue("file_name")
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(data) > listform.MaxFileBytes {
			return nil, workflow.Errorf(workflow.CodeBadRequest, "无法读取上传的文件", "cannot read the uploaded file")
		}
		return data, nil
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return nil, noFile
	}
	defer f.Close()
	v.FileName = h.Filename
	if h.Size > listform.MaxFileBytes {
		return nil, errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, listform.MaxFileBytes+1))
	if err != nil {
		return nil, workflow.Errorf(workflow.CodeBadRequest, "无法读取上传的文件", "cannot read the uploaded file")
	}
	if len(data) > listform.MaxFileBytes {
		return nil, errTooLarge
	}
	if len(data) == 0 {
		return nil, noFile
	}
	return data, nil
}

// calendarSubmit issues the district user one more API token and shows the
// calendar feed's address with it, once: the token is not stored in clear.
func (s *uiServer) calendarSubmit(w http.ResponseWriter, r *http.Request) {
	token, err := s.store.IssueToken(r.Context(), actorOf(r).Name)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v, err := s.workspaceView(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	scheme := "http"
	if r.TLS != nil || s.opts.SecureCookies {
		scheme = "https"
	}
	v.FeedURL = scheme + "://" + r.Host + "/api/v1/calendar.ics?token=" + url.QueryEscape(token)
	s.render(w, r, http.StatusOK, "workspace", v)
}
