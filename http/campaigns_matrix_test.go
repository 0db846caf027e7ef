package http_test

import (
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// The campaign, reminder and calendar routes in the authorization matrix. The
// campaign routes are called with id 0, which no campaign has, so a caller who
// passes the role check learns only "not found"; the POST body is invalid, so
// the matrix creates nothing the other rows would see.
func init() {
	none := func(int64) string { return "" }
	matrix["POST /api/v1/campaigns"] = []matrixRow{{noExhibit, func(int64) string { return `{"year":1999}` }, statuses(401, 422, 403, 403, 403, 403)}}
	matrix["GET /api/v1/campaigns/current"] = []matrixRow{{noExhibit, nil, statuses(401, 404, 404, 404, 404, 404)}}
	matrix["GET /api/v1/campaigns/{id}"] = []matrixRow{{noExhibit, nil, statuses(401, 404, 404, 404, 404, 404)}}
	matrix["PATCH /api/v1/campaigns/{id}"] = []matrixRow{{noExhibit, func(int64) string { return `{}` }, statuses(401, 404, 403, 403, 403, 403)}}
	matrix["GET /api/v1/campaigns/{id}/progress"] = []matrixRow{{noExhibit, nil, statuses(401, 404, 404, 404, 404, 404)}}
	matrix["GET /api/v1/campaigns/{id}/history"] = []matrixRow{{noExhibit, nil, statuses(401, 404, 403, 404, 403, 403)}}
	matrix["GET /api/v1/notifications"] = []matrixRow{{noExhibit, nil, statuses(401, 200, 200, 200, 200, 200)}}
	matrix["POST /api/v1/notifications/{id}/read"] = []matrixRow{{noExhibit, none, statuses(401, 404, 404, 404, 404, 404)}}
	matrix["GET /api/v1/notifications/contact"] = []matrixRow{{noExhibit, nil, statuses(401, 200, 200, 200, 200, 200)}}
	matrix["PUT /api/v1/notifications/contact"] = []matrixRow{{noExhibit, func(int64) string { return `{}` }, statuses(401, 200, 200, 200, 200, 200)}}
	matrix["GET /api/v1/deliveries"] = []matrixRow{{noExhibit, nil, statuses(401, 200, 403, 403, 403, 403)}}
	matrix["POST /api/v1/deliveries/{id}/retry"] = []matrixRow{{noExhibit, none, statuses(401, 404, 403, 403, 403, 403)}}
	matrix["GET /api/v1/calendar.ics"] = []matrixRow{{noExhibit, nil, statuses(401, 200, 200, 200, 200, 200)}}
	// Only coordinators change a return date, and only while the item is held.
	matrix["PATCH /api/v1/exhibits/{id}/agreement"] = []matrixRow{
		{onMobilized, func(int64) string { return `{"return_due":"2027-01-01"}` }, statuses(401, 409, 403, 403, 403, 403)},
	}

	// The feed's body is a string to the OpenAPI check, like text/plain.
	openapi3filter.RegisterBodyDecoder("text/calendar", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	})
}
