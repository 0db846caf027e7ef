package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// Coordinators is the recipient of notices meant for every coordinator; any
// other recipient is a unit code, meaning that unit's district users.
const Coordinators = "coordinators"

// notice is one message to one recipient, ready to be enqueued. Its key is
// unique in the notices table: enqueueing a key twice does nothing the second time.
type notice struct {
	Key        string
	Recipient  string
	Text       campaign.Notice
	DueOn      workflow.Date
	ExhibitID  int64 // 0 when not about one exhibit
	CampaignID int64 // 0 when not about a campaign
}

// enqueue stores notices whose keys are new, puts each in the inbox of every
// enabled user of its recipient, and adds an outbox row per user and channel
// the user has an address for, among the channels that can send. It returns
// how many notices were new. One statement does it all, so a batch of a few
// thousand return reminders costs one round trip.
func enqueue(ctx context.Context, tx *sqlx.Tx, now time.Time, ns []notice, channels []string) (int, error) {
	if len(ns) == 0 {
		return 0, nil
	}
	n := len(ns)
	keys, kinds, recips := make([]string, n), make([]string, n), make([]string, n)
	sZH, sEN, bZH, bEN := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	// Arrays cannot hold NULL through pq.Array: "" and 0 stand for none.
	dues := make([]string, n)
	exhibits, campaigns := make([]int64, n), make([]int64, n)
	for i := range ns {
		x := &ns[i]
		keys[i], kinds[i], recips[i] = x.Key, string(x.Text.Kind), x.Recipient
		sZH[i], sEN[i], bZH[i], bEN[i] = x.Text.Subject.ZH, x.Text.Subject.EN, x.Text.Body.ZH, x.Text.Body.EN
		if !x.DueOn.IsZero() {
			dues[i] = x.DueOn.String()
		}
		exhibits[i], campaigns[i] = x.ExhibitID, x.CampaignID
	}
	if channels == nil {
		channels = []string{}
	}
	var created int
	err := tx.GetContext(ctx, &created, `
		WITH n AS (
			INSERT INTO notices (key, kind, recipient, subject_zh, subject_en, body_zh, body_en, due_on,
				exhibit_id, campaign_id, created_at)
			SELECT k, kind, r, sz, se, bz, be, NULLIF(d, '')::date, NULLIF(x, 0), NULLIF(c, 0), $12
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
				$8::text[], $9::bigint[], $10::bigint[]) AS t(k, kind, r, sz, se, bz, be, d, x, c)
			ON CONFLICT (key) DO NOTHING
			RETURNING id, recipient
		), i AS (
			-- Two equi-joins rather than one join on an OR, which the planner
			-- can only run as a nested loop over every user.
			INSERT INTO notifications (notice_id, user_id, created_at)
			SELECT n.id, u.id, $12 FROM n JOIN users u ON u.role = 'coordinator' AND n.recipient = 'coordinators'
				WHERE u.disabled_at IS NULL
			UNION ALL
			SELECT n.id, u.id, $12 FROM n JOIN users u ON u.role = 'district' AND u.district = n.recipient
				WHERE u.disabled_at IS NULL
			RETURNING id, user_id
		), o AS (
			INSERT INTO deliveries (notification_id, channel, address, next_at, created_at)
			SELECT i.id, ch.channel, ch.address, $12, $12
			FROM i JOIN users u ON u.id = i.user_id
			CROSS JOIN LATERAL (VALUES ('email', u.email), ('webhook', u.webhook_url)) AS ch(channel, address)
			WHERE ch.address IS NOT NULL AND ch.channel = ANY($11::text[])
			RETURNING 1
		)
		-- Data-modifying WITH parts always run to completion, read or not.
		SELECT count(*) FROM n`,
		pq.Array(keys), pq.Array(kinds), pq.Array(recips), pq.Array(sZH), pq.Array(sEN), pq.Array(bZH),
		pq.Array(bEN), pq.Array(dues), pq.Array(exhibits), pq.Array(campaigns), pq.Array(channels), now)
	return created, err
}
