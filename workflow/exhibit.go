package workflow

import (
	"regexp"
	"time"
)

// Method is how an item is collected (征集方式).
type Method string

// The four methods of the notice.
const (
	Donation    Method = "donation"
	Deposit     Method = "deposit"
	Replication Method = "replication"
	Consignment Method = "consignment"
)

// Methods lists every method in the notice's order.
var Methods = []Method{Donation, Deposit, Replication, Consignment}

var methodNames = map[Method]Text{
	Donation: T("捐赠", "donation"), Deposit: T("寄存", "deposit"),
	Replication: T("复制", "replication"), Consignment: T("寄售", "consignment"),
}

// Label is the method's name for people; the Chinese is what the form uses.
func (m Method) Label() Text { return methodNames[m] }

// Valid reports whether m is one of the four methods.
func (m Method) Valid() bool { _, ok := methodNames[m]; return ok }

// ContentType is the notice's kind of content (征集内容).
type ContentType string

// The notice's four kinds of content.
const (
	CraftWork           ContentType = "craft_work"
	Historical          ContentType = "historical"
	ProductionEquipment ContentType = "production_equipment"
	Competition         ContentType = "competition"
)

var contentNames = map[ContentType]Text{
	CraftWork:           T("技艺作品/视频图文", "craft work"),
	Historical:          T("技术进步历史实物/文献", "historical item"),
	ProductionEquipment: T("生产生活技能设备设施", "production equipment"),
	Competition:         T("竞赛获奖作品/奖牌/工具/文创", "competition item"),
}

// Label is the content kind's name for people.
func (c ContentType) Label() Text { return contentNames[c] }

// Valid reports whether c is one of the four kinds.
func (c ContentType) Valid() bool { _, ok := contentNames[c]; return ok }

// Intake tells items of the campaign window from those of regular collection.
type Intake string

// Intakes.
const (
	IntakeCampaign Intake = "campaign" // 集中征集
	IntakeRegular  Intake = "regular"  // 常态化征集
)

// Fields are what a district fills in on the official form for one item.
type Fields struct {
	Name              string      `json:"name"`
	Category          string      `json:"category"`
	ContentType       ContentType `json:"content_type"`
	Region            string      `json:"region"`
	ValuationCNY      *int64      `json:"valuation_cny"`
	ValuationText     string      `json:"valuation_text"`
	Description       string      `json:"description"`
	EraType           string      `json:"era_type"`
	Era               string      `json:"era"`
	SizeCM            string      `json:"size_cm"`
	WeightKG          *float64    `json:"weight_kg"`
	Quantity          int         `json:"quantity"`
	Method            Method      `json:"method"`
	SourceUnit        string      `json:"source_unit"`
	ContactName       string      `json:"contact_name"`
	ContactPhone      string      `json:"contact_phone"`
	StorageConditions string      `json:"storage_conditions"`
}

// Exhibit is one offered item and everything that has happened to it.
type Exhibit struct {
	ID       int64  `json:"id"`
	District string `json:"district"`
	Fields
	DimensionsCM []float64 `json:"dimensions_cm"`
	Intake       Intake    `json:"intake"`
	State        State     `json:"state"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	Evaluation *Evaluation `json:"evaluation"`
	Agreement  *Agreement  `json:"agreement"`
	Custody    Custody     `json:"custody"`
}

// Evaluation is the evaluator's verdict on a recommended item.
type Evaluation struct {
	Score          int       `json:"score"`
	Authentic      bool      `json:"authentic"`       // 真实性
	NoClassified   bool      `json:"no_classified"`   // 不涉密
	NoInfringement bool      `json:"no_infringement"` // 不侵权
	Comment        string    `json:"comment"`
	By             string    `json:"by"`
	At             time.Time `json:"at"`
}

// Passed reports whether all three checks the notice demands were passed.
func (e *Evaluation) Passed() bool {
	return e != nil && e.Authentic && e.NoClassified && e.NoInfringement
}

// Agreement is the signed collection agreement; which dates it holds depends on the method.
type Agreement struct {
	SignedOn          Date   `json:"signed_on"`
	Parties           string `json:"parties"`
	ReturnDue         Date   `json:"return_due"`          // deposit
	OriginalReturnDue Date   `json:"original_return_due"` // replication
	AskingPriceCNY    *int64 `json:"asking_price_cny"`    // consignment
	TermEnd           Date   `json:"term_end"`            // consignment

	Number        string   `json:"number"`         // BYGJ-2022-0001, given by the store when signed
	DonationForm  string   `json:"donation_form"`  // donation: original or copy
	CommissionPct *float64 `json:"commission_pct"` // consignment: the organiser's share of the price, percent
}

// Custody is where the item is and how it left, once the centre holds it.
type Custody struct {
	Location           string `json:"location"`
	OriginalReturnedOn Date   `json:"original_returned_on"`
	DisplayVenue       string `json:"display_venue"`
	DisplayFrom        Date   `json:"display_from"`
	DisplayUntil       Date   `json:"display_until"`
	ExhibitionID       *int64 `json:"exhibition_id"` // the exhibition display named, if any
	ReturnedOn         Date   `json:"returned_on"`
	Receipt            string `json:"receipt"`
	SoldPriceCNY       *int64 `json:"sold_price_cny"`
	SoldOn             Date   `json:"sold_on"`
}

// ReturnLimit is the last day the item may be away from its holder's claim:
// a deposit's return date or a consignment's term end. Zero when there is none.
func (x *Exhibit) ReturnLimit() Date {
	if x.Agreement == nil {
		return Date{}
	}
	switch x.Method {
	case Deposit:
		return x.Agreement.ReturnDue
	case Consignment:
		return x.Agreement.TermEnd
	}
	return Date{}
}

// MaskedPhone returns the phone with its middle digits hidden (139****0101).
func MaskedPhone(phone string) string {
	digits := []rune(phone)
	if len(digits) <= 4 {
		return "****"
	}
	if len(digits) < 8 {
		return string(digits[:1]) + "****" + string(digits[len(digits)-2:])
	}
	return string(digits[:3]) + "****" + string(digits[len(digits)-4:])
}

// phoneInText finds mobile and landline numbers inside free text.
var phoneInText = regexp.MustCompile(`1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}`)

// RedactPhones masks every phone number inside s, for logs and other text that
// must never carry a whole number.
func RedactPhones(s string) string {
	return phoneInText.ReplaceAllStringFunc(s, MaskedPhone)
}
