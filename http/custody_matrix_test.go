package http_test

import "bayu/workflow"

// onStored is an exhibit (a deposit of unit 500101) in store: it has an
// agreement and a location.
var onStored = scenario{"stored", workflow.Stored}

// The routes of agreements, locations, exhibitions, consignments and the
// public gallery in the authorization matrix. Exhibitions are called with id
// 0, which none has; the POST creates one, which no other row looks at.
func init() {
	all := statuses(401, 200, 200, 200, 200, 200)
	matrix["GET /api/v1/exhibits/{id}/agreement"] = []matrixRow{
		{onMobilized, nil, statuses(401, 404, 404, 404, 404, 404)},
		{onStored, nil, statuses(401, 200, 200, 200, 200, 404)},
	}
	matrix["GET /api/v1/exhibits/{id}/locations"] = []matrixRow{{onStored, nil, statuses(401, 200, 200, 200, 200, 404)}}
	matrix["GET /api/v1/consignments"] = []matrixRow{{noExhibit, nil, statuses(401, 200, 403, 200, 403, 403)}}
	matrix["GET /api/v1/venues"] = []matrixRow{{noExhibit, nil, all}}
	matrix["GET /api/v1/exhibitions"] = []matrixRow{{noExhibit, nil, all}}
	matrix["POST /api/v1/exhibitions"] = []matrixRow{{noExhibit, func(int64) string {
		return `{"venue_id":1,"title":"巴渝工匠专场","starts_on":"2026-08-01","ends_on":"2026-08-31"}`
	}, statuses(401, 201, 403, 403, 403, 403)}}
	matrix["GET /api/v1/exhibitions/{id}"] = []matrixRow{{noExhibit, nil, statuses(401, 404, 404, 404, 404, 404)}}
	// The gallery needs no credentials and shows stored items only.
	matrix["GET /api/v1/gallery"] = []matrixRow{{noExhibit, nil, statuses(200, 200, 200, 200, 200, 200)}}
	matrix["GET /api/v1/gallery/{id}"] = []matrixRow{
		{onMobilized, nil, statuses(404, 404, 404, 404, 404, 404)},
		{onStored, nil, statuses(200, 200, 200, 200, 200, 200)},
	}
}
