package http_test

import (
	"bytes"
	"sync"

	"github.com/getkin/kin-openapi/openapi3filter"

	"bayu/workflow"
	"bayu/workflow/listform"
	"bayu/workflow/sample"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// matrixList is a valid one-item list: the coordinator's import creates its
// exhibit in unit 500101 and the unit's own user imports it again, unchanged.
var matrixList = sync.OnceValue(func() string {
	var b bytes.Buffer
	if err := listform.Write(&b, listform.UnitInfo{Name: "万州区"}, []listform.Item{{Fields: sample.Fields(9, workflow.Donation)}}, listform.WriteOptions{}); err != nil {
		panic(err)
	}
	return b.String()
})

// The list routes in the authorization matrix; {code} is the fixture's unit,
// 500101, so "fuling" is a district user of another unit, who must learn
// nothing about it (404), as with exhibits.
func init() {
	matrix["POST /api/v1/districts/{code}/lists"] = []matrixRow{
		{noExhibit, func(int64) string { return matrixList() }, statuses(401, 200, 403, 403, 200, 404)},
	}
	matrix["GET /api/v1/districts/{code}/lists.xlsx"] = []matrixRow{{noExhibit, nil, statuses(401, 200, 403, 200, 200, 404)}}
	matrix["GET /api/v1/exports/final-list.xlsx"] = []matrixRow{{noExhibit, nil, statuses(401, 200, 403, 200, 403, 403)}}
	matrix["GET /api/v1/exports/library.xlsx"] = []matrixRow{{noExhibit, nil, statuses(401, 200, 403, 200, 403, 403)}}

	// A workbook is a string of bytes to the OpenAPI check.
	openapi3filter.RegisterBodyDecoder(xlsxType, openapi3filter.FileBodyDecoder)
}
