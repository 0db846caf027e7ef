package workflow

import (
	"strings"
	"unicode/utf8"
)

// Exhibition is a show at a venue between two dates (七、展示展览): the World
// Skills Museum, an expo, the gallery corridor. Display names one, and the
// item's stay must fit inside its dates.
type Exhibition struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	VenueID  int64  `json:"venue_id"`
	Venue    string `json:"venue"` // the venue's Chinese name, as display records it
	StartsOn Date   `json:"starts_on"`
	EndsOn   Date   `json:"ends_on"`
}

// ExhibitionInput is what a coordinator gives to plan an exhibition.
type ExhibitionInput struct {
	VenueID     int64  `json:"venue_id"`
	Title       string `json:"title"`
	StartsOn    Date   `json:"starts_on"`
	EndsOn      Date   `json:"ends_on"`
	Description string `json:"description"`
}

// Validate names every problem of the input, after trimming its text.
func (in *ExhibitionInput) Validate() error {
	fe := FieldErrors{}
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	if in.VenueID < 1 {
		fe.Add("venue_id", "必须选择展馆", "is required")
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		fe.Add("title", "必须填写展览名称", "is required")
	case n > 200 || strings.ContainsRune(in.Title, 0):
		fe.Add("title", "展览名称不能超过 200 字", "must be at most 200 characters")
	}
	if utf8.RuneCountInString(in.Description) > 2000 || strings.ContainsRune(in.Description, 0) {
		fe.Add("description", "说明不能超过 2000 字", "must be at most 2000 characters")
	}
	if in.StartsOn.IsZero() {
		fe.Add("starts_on", "必须填写开始日期", "is required")
	}
	if in.EndsOn.IsZero() {
		fe.Add("ends_on", "必须填写结束日期", "is required")
	}
	if !in.StartsOn.IsZero() && !in.EndsOn.IsZero() && in.EndsOn.Before(in.StartsOn) {
		fe.Add("ends_on", "不能早于开始日期", "must not be before starts_on")
	}
	return fe.Err()
}

// readDisplay reads display's data. An exhibition, when named, gives the venue
// and, unless the coordinator narrows them, the dates; a venue alone (as
// before exhibitions existed) needs both dates. Either way until must not pass
// the day the holder expects the item back.
func readDisplay(x *Exhibit, c *Command, d *dataReader) (venue string, from, until Date, ex *Exhibition) {
	id := d.integer("exhibition", false, 1, 1<<53)
	if id != 0 {
		ex = c.Exhibition
		if ex == nil || ex.ID != id {
			d.fe.Add("data.exhibition", "展览不存在", "no such exhibition")
			ex = nil
		}
	}
	named := id != 0
	venue = d.text("venue", !named, 200)
	from, until = d.date("from", !named), d.date("until", !named)
	if ex != nil {
		if venue != "" && venue != ex.Venue {
			d.fe.Add("data.venue", "该展览在“"+ex.Venue+"”举办", "the exhibition is held at "+ex.Venue)
		}
		venue = ex.Venue
		if from.IsZero() {
			from = ex.StartsOn
		}
		if until.IsZero() {
			until = ex.EndsOn
		}
	}
	// The holder's date first: of two reasons against until, it is the one
	// that cannot be moved by choosing other dates of the same exhibition.
	if limit := x.ReturnLimit(); !limit.IsZero() && !until.IsZero() && until.After(limit) {
		d.fe.Add("data.until", "展出结束日期不能晚于归还日期 "+limit.String(), "must not pass the return date "+limit.String())
	}
	d.after("until", until, "from", from)
	if ex != nil {
		if from.Before(ex.StartsOn) {
			d.fe.Add("data.from", "不能早于展览开始日期 "+ex.StartsOn.String(), "must not be before the exhibition starts, "+ex.StartsOn.String())
		}
		if until.After(ex.EndsOn) {
			d.fe.Add("data.until", "不能晚于展览结束日期 "+ex.EndsOn.String(), "must not pass the exhibition's end, "+ex.EndsOn.String())
		}
	}
	return venue, from, until, ex
}
