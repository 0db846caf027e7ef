package http

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/listform"
)

// xlsxType is the content type of an .xlsx workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) listRoutes() []route {
	return []route{
		{Method: "POST", Pattern: "/districts/{code}/lists",
			Summary: "Import a filled list form (.xlsx as the raw body, or multipart field file): all rows or none; " +
				"422 lists every row error as errors: [{row, column, message}]",
			Access: only(workflow.Coordinator, workflow.District), Handler: s.importList,
			Query: []string{"dry_run", "recommend"}, Consumes: xlsxType, Response: store.ListImportResult{}},
		{Method: "GET", Pattern: "/districts/{code}/lists.xlsx", Summary: "A unit's items in the official list form, footer filled",
			Access: only(workflow.Coordinator, workflow.District, workflow.Auditor), Handler: s.exportUnitList,
			Query: []string{"state"}, Produces: xlsxType},
		{Method: "GET", Pattern: "/exports/final-list.xlsx", Summary: "The campaign's accepted items in the official form, with 推荐单位",
			Access: only(workflow.Coordinator, workflow.Auditor), Handler: s.exportFinalList, Produces: xlsxType},
		{Method: "GET", Pattern: "/exports/library.xlsx", Summary: "The resource library catalogue: stored, on display, returned and sold items",
			Access: only(workflow.Coordinator, workflow.Auditor), Handler: s.exportLibrary, Produces: xlsxType},
	}
}

// importList takes a filled form for a unit. The file is parsed by listform
// (which refuses hostile files before inflating them) and imported by the
// store in one transaction; either step's row errors come back all at once.
func (s *Server) importList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	code := chi.URLParam(r, "code")
	dry, err := flagParam(r, "dry_run")
	if err != nil {
		return err
	}
	recommend, err := flagParam(r, "recommend")
	if err != nil {
		return err
	}
	// Another unit is refused before its upload is read: it costs nothing and
	// says nothing about the unit.
	if a.Role == workflow.District && a.District != code {
		return workflow.Errorf(workflow.CodeNotFound, "推荐单位不存在", "no such unit")
	}
	data, err := readUpload(w, r)
	if err != nil {
		return err
	}
	list, err := listform.ParseBytes(data, listform.Options{})
	if err != nil {
		return s.listError(w, r, err)
	}
	res, err := s.store.ImportList(r.Context(), a, store.ListImport{District: code, List: list, DryRun: dry, Recommend: recommend})
	if err != nil {
		return s.listError(w, r, err)
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// listErrorBody is the error of a refused list: the usual error object and,
// per CONTRACT.md, every row's problem with the sheet's row number and the
// Chinese column header (empty for a problem of the file as a whole).
type listErrorBody struct {
	Error  errorDetail              `json:"error"`
	Errors []listform.LocalRowError `json:"errors"`
}

// listError writes a *listform.Error with its rows in the request's language;
// other errors go to the usual error writer.
func (s *Server) listError(w http.ResponseWriter, r *http.Request, err error) error {
	var le *listform.Error
	if !errors.As(err, &le) {
		return err
	}
	if le.Internal != "" {
		s.log.WarnContext(r.Context(), "list refused", "reason", le.Internal, "path", r.URL.Path)
	}
	l := lang(r)
	status, ok := statusOf[le.Code]
	if !ok {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, listErrorBody{Error: errorDetail{Code: le.Code, Message: le.Message.In(l)}, Errors: le.In(l)})
	return nil
}

// uploadSlack is what a request may carry beyond the file itself: the
// envelope of a multipart form.
const uploadSlack = 64 << 10

var errTooLarge = workflow.Errorf(workflow.CodeTooLarge, "文件过大（上限 10 MB）", "the file is too large (10 MB at most)")

// readUpload reads the uploaded file, the raw body or the multipart field
// "file", refusing more than listform.MaxFileBytes with 413.
func readUpload(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var src io.Reader = http.MaxBytesReader(w, r.Body, listform.MaxFileBytes+uploadSlack)
	if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
		part, err := filePart(multipart.NewReader(src, params["boundary"]))
		if err != nil {
			return nil, err
		}
		src = part
	}
	data, err := io.ReadAll(io.LimitReader(src, listform.MaxFileBytes+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || len(data) > listform.MaxFileBytes:
		return nil, errTooLarge
	case err != nil:
		return nil, workflow.Errorf(workflow.CodeBadRequest, "无法读取上传的文件", "cannot read the uploaded file")
	case len(data) == 0:
		return nil, noFile
	}
	return data, nil
}

var noFile = workflow.Errorf(workflow.CodeBadRequest, "没有上传文件：请把 .xlsx 作为请求内容，或放在表单字段 file 中",
	"no file: send the .xlsx as the body or in the form field file")

// filePart finds the form field "file", skipping other fields.
func filePart(mr *multipart.Reader) (*multipart.Part, error) {
	for {
		part, err := mr.NextPart()
		var tooBig *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			return nil, noFile
		case errors.As(err, &tooBig):
			return nil, errTooLarge
		case err != nil:
			return nil, workflow.Errorf(workflow.CodeBadRequest, "上传的表单格式不正确", "the multipart form is malformed")
		}
		if part.FormName() == "file" {
			return part, nil
		}
	}
}

// flagParam reads a yes/no query parameter: 1/true/yes or 0/false/no, absent is no.
func flagParam(r *http.Request, name string) (bool, error) {
	switch r.URL.Query().Get(name) {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "yes":
		return true, nil
	}
	return false, &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("查询参数有误", "bad query parameters"),
		Fields: map[string]workflow.Text{name: workflow.T("应为 1 或 0", "must be 1 or 0")}}
}
