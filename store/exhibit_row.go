package store

import (
	"database/sql"
	"time"

	"bayu/workflow"
)

// exhibitRow is the exhibits table as sqlx scans it; toExhibit turns it into the domain type.
type exhibitRow struct {
	ID                int64           `db:"id"`
	District          string          `db:"district"`
	Name              string          `db:"name"`
	Category          string          `db:"category"`
	ContentType       string          `db:"content_type"`
	Region            string          `db:"region"`
	ValuationCNY      sql.NullInt64   `db:"valuation_cny"`
	ValuationText     string          `db:"valuation_text"`
	Description       string          `db:"description"`
	EraType           string          `db:"era_type"`
	Era               string          `db:"era"`
	SizeCM            string          `db:"size_cm"`
	WeightKG          sql.NullFloat64 `db:"weight_kg"`
	Quantity          int             `db:"quantity"`
	Method            string          `db:"method"`
	SourceUnit        string          `db:"source_unit"`
	ContactName       string          `db:"contact_name"`
	ContactPhone      string          `db:"contact_phone"`
	StorageConditions string          `db:"storage_conditions"`
	Intake            string          `db:"intake"`
	State             string          `db:"state"`
	Version           int64           `db:"version"`
	CreatedAt         time.Time       `db:"created_at"`
	UpdatedAt         time.Time       `db:"updated_at"`

	EvalScore          sql.NullInt64  `db:"eval_score"`
	EvalAuthentic      sql.NullBool   `db:"eval_authentic"`
	EvalNoClassified   sql.NullBool   `db:"eval_no_classified"`
	EvalNoInfringement sql.NullBool   `db:"eval_no_infringement"`
	EvalComment        sql.NullString `db:"eval_comment"`
	EvalBy             sql.NullString `db:"eval_by"`
	EvalAt             sql.NullTime   `db:"eval_at"`

	AgreementSignedOn workflow.Date  `db:"agreement_signed_on"`
	AgreementParties  sql.NullString `db:"agreement_parties"`
	ReturnDue         workflow.Date  `db:"return_due"`
	OriginalReturnDue workflow.Date  `db:"original_return_due"`
	AskingPriceCNY    sql.NullInt64  `db:"asking_price_cny"`
	TermEnd           workflow.Date  `db:"term_end"`

	Location           string        `db:"location"`
	OriginalReturnedOn workflow.Date `db:"original_returned_on"`
	DisplayVenue       string        `db:"display_venue"`
	DisplayFrom        workflow.Date `db:"display_from"`
	DisplayUntil       workflow.Date `db:"display_until"`
	ReturnedOn         workflow.Date `db:"returned_on"`
	Receipt            string        `db:"receipt"`
	SoldPriceCNY       sql.NullInt64 `db:"sold_price_cny"`
	SoldOn             workflow.Date `db:"sold_on"`

	// Written by the custody effects (custody.go), not by updateProcess.
	AgreementNumber sql.NullString  `db:"agreement_number"`
	DonationForm    string          `db:"donation_form"`
	CommissionPct   sql.NullFloat64 `db:"commission_pct"`
	ExhibitionID    sql.NullInt64   `db:"exhibition_id"`
}

const exhibitColumns = `id, district, name, category, content_type, region, valuation_cny, valuation_text,
	description, era_type, era, size_cm, weight_kg, quantity, method, source_unit, contact_name,
	contact_phone, storage_conditions, intake, state, version, created_at, updated_at,
	eval_score, eval_authentic, eval_no_classified, eval_no_infringement, eval_comment, eval_by, eval_at,
	agreement_signed_on, agreement_parties, return_due, original_return_due, asking_price_cny, term_end,
	location, original_returned_on, display_venue, display_from, display_until, returned_on, receipt,
	sold_price_cny, sold_on, agreement_number, donation_form, commission_pct, exhibition_id`

// targets are the row's fields in exhibitColumns' order, for a positional Scan.
// The transition path reads two whole rows per request; sqlx's matching of
// fifty column names to fields on every scan cost more than the scan itself.
func (r *exhibitRow) targets() []any {
	return []any{
		&r.ID, &r.District, &r.Name, &r.Category, &r.ContentType, &r.Region, &r.ValuationCNY, &r.ValuationText,
		&r.Description, &r.EraType, &r.Era, &r.SizeCM, &r.WeightKG, &r.Quantity, &r.Method, &r.SourceUnit,
		&r.ContactName, &r.ContactPhone, &r.StorageConditions, &r.Intake, &r.State, &r.Version, &r.CreatedAt,
		&r.UpdatedAt, &r.EvalScore, &r.EvalAuthentic, &r.EvalNoClassified, &r.EvalNoInfringement, &r.EvalComment,
		&r.EvalBy, &r.EvalAt, &r.AgreementSignedOn, &r.AgreementParties, &r.ReturnDue, &r.OriginalReturnDue,
		&r.AskingPriceCNY, &r.TermEnd, &r.Location, &r.OriginalReturnedOn, &r.DisplayVenue, &r.DisplayFrom,
		&r.DisplayUntil, &r.ReturnedOn, &r.Receipt, &r.SoldPriceCNY, &r.SoldOn, &r.AgreementNumber,
		&r.DonationForm, &r.CommissionPct, &r.ExhibitionID,
	}
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func (r *exhibitRow) toExhibit() *workflow.Exhibit {
	x := &workflow.Exhibit{
		ID: r.ID, District: r.District,
		Fields: workflow.Fields{
			Name: r.Name, Category: r.Category, ContentType: workflow.ContentType(r.ContentType),
			Region: r.Region, ValuationCNY: nullInt(r.ValuationCNY), ValuationText: r.ValuationText,
			Description: r.Description, EraType: r.EraType, Era: r.Era, SizeCM: r.SizeCM,
			Quantity: r.Quantity, Method: workflow.Method(r.Method), SourceUnit: r.SourceUnit,
			ContactName: r.ContactName, ContactPhone: r.ContactPhone, StorageConditions: r.StorageConditions,
		},
		Intake: workflow.Intake(r.Intake), State: workflow.State(r.State), Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		Custody: workflow.Custody{
			Location: r.Location, OriginalReturnedOn: r.OriginalReturnedOn, DisplayVenue: r.DisplayVenue,
			DisplayFrom: r.DisplayFrom, DisplayUntil: r.DisplayUntil, ReturnedOn: r.ReturnedOn,
			Receipt: r.Receipt, SoldPriceCNY: nullInt(r.SoldPriceCNY), SoldOn: r.SoldOn,
			ExhibitionID: nullInt(r.ExhibitionID),
		},
	}
	if r.WeightKG.Valid {
		w := r.WeightKG.Float64
		x.WeightKG = &w
	}
	x.DimensionsCM = x.Fields.Dimensions()
	if r.EvalScore.Valid {
		x.Evaluation = &workflow.Evaluation{
			Score: int(r.EvalScore.Int64), Authentic: r.EvalAuthentic.Bool, NoClassified: r.EvalNoClassified.Bool,
			NoInfringement: r.EvalNoInfringement.Bool, Comment: r.EvalComment.String, By: r.EvalBy.String,
			At: r.EvalAt.Time.UTC(),
		}
	}
	if !r.AgreementSignedOn.IsZero() {
		x.Agreement = &workflow.Agreement{
			SignedOn: r.AgreementSignedOn, Parties: r.AgreementParties.String, ReturnDue: r.ReturnDue,
			OriginalReturnDue: r.OriginalReturnDue, AskingPriceCNY: nullInt(r.AskingPriceCNY), TermEnd: r.TermEnd,
			Number: r.AgreementNumber.String, DonationForm: r.DonationForm,
		}
		if r.CommissionPct.Valid {
			pct := r.CommissionPct.Float64
			x.Agreement.CommissionPct = &pct
		}
	}
	return x
}

// processArgs are the columns an event may change, in the order of updateProcess.
func processArgs(x *workflow.Exhibit) []any {
	var (
		score                    *int
		auth, noClass, noInfring *bool
		comment, by              *string
		at                       *time.Time
		a                        = x.Agreement
	)
	if e := x.Evaluation; e != nil {
		score, auth, noClass, noInfring, comment, by, at = &e.Score, &e.Authentic, &e.NoClassified, &e.NoInfringement, &e.Comment, &e.By, &e.At
	}
	if a == nil {
		a = &workflow.Agreement{}
	}
	var parties *string
	if x.Agreement != nil {
		parties = &a.Parties
	}
	c := x.Custody
	return []any{x.State, score, auth, noClass, noInfring, comment, by, at,
		a.SignedOn, parties, a.ReturnDue, a.OriginalReturnDue, a.AskingPriceCNY, a.TermEnd,
		c.Location, c.OriginalReturnedOn, c.DisplayVenue, c.DisplayFrom, c.DisplayUntil, c.ReturnedOn,
		c.Receipt, c.SoldPriceCNY, c.SoldOn}
}

const updateProcess = `UPDATE exhibits SET state = $1,
	eval_score = $2, eval_authentic = $3, eval_no_classified = $4, eval_no_infringement = $5,
	eval_comment = $6, eval_by = $7, eval_at = $8,
	agreement_signed_on = $9, agreement_parties = $10, return_due = $11, original_return_due = $12,
	asking_price_cny = $13, term_end = $14,
	location = $15, original_returned_on = $16, display_venue = $17, display_from = $18,
	display_until = $19, returned_on = $20, receipt = $21, sold_price_cny = $22, sold_on = $23,
	version = version + 1, updated_at = $24
	WHERE id = $25`

// fieldArgs are the form's columns, in the order of updateFields and insertExhibit.
func fieldArgs(f *workflow.Fields) []any {
	return []any{f.Name, f.Category, f.ContentType, f.Region, f.ValuationCNY, f.ValuationText,
		f.Description, f.EraType, f.Era, f.SizeCM, f.WeightKG, f.Quantity, f.Method, f.SourceUnit,
		f.ContactName, f.ContactPhone, f.StorageConditions}
}

const updateFields = `UPDATE exhibits SET name = $1, category = $2, content_type = $3, region = $4,
	valuation_cny = $5, valuation_text = $6, description = $7, era_type = $8, era = $9, size_cm = $10,
	weight_kg = $11, quantity = $12, method = $13, source_unit = $14, contact_name = $15,
	contact_phone = $16, storage_conditions = $17, version = version + 1, updated_at = $18
	WHERE id = $19`

const insertExhibit = `INSERT INTO exhibits (name, category, content_type, region, valuation_cny,
	valuation_text, description, era_type, era, size_cm, weight_kg, quantity, method, source_unit,
	contact_name, contact_phone, storage_conditions, district, intake, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)
	RETURNING id`
