package requester

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// The random sample values Bruno and Postman collections use, such as
// {{$randomFullName}} and {{$randomEmail}}, made by a small generator
// from short lists: plausible test data, not realistic people. Each
// occurrence gets a fresh value. Names are those of Postman's dynamic
// variables, which Bruno shares.
var fakers = map[string]func(r *rand.Rand) string{
	"$guid":               func(*rand.Rand) string { return newUUID() },
	"$randomUUID":         func(*rand.Rand) string { return newUUID() },
	"$randomFirstName":    func(r *rand.Rand) string { return pick(r, firstNames) },
	"$randomLastName":     func(r *rand.Rand) string { return pick(r, lastNames) },
	"$randomFullName":     func(r *rand.Rand) string { return pick(r, firstNames) + " " + pick(r, lastNames) },
	"$randomUserName":     userName,
	"$randomEmail":        func(r *rand.Rand) string { return userName(r) + "@example.com" },
	"$randomExampleEmail": func(r *rand.Rand) string { return userName(r) + "@example.org" },
	"$randomPassword":     func(r *rand.Rand) string { return alnum(r, 15) },
	"$randomPhoneNumber": func(r *rand.Rand) string {
		return fmt.Sprintf("555-%03d-%04d", r.IntN(1000), r.IntN(10000))
	},
	"$randomCity":        func(r *rand.Rand) string { return pick(r, cities) },
	"$randomCountry":     func(r *rand.Rand) string { return pick(r, countries) },
	"$randomCountryCode": func(r *rand.Rand) string { return pick(r, countryCodes) },
	"$randomStreetName":  func(r *rand.Rand) string { return pick(r, lastNames) + " Street" },
	"$randomCompanyName": func(r *rand.Rand) string { return pick(r, lastNames) + " " + pick(r, companySuffixes) },
	"$randomJobTitle":    func(r *rand.Rand) string { return pick(r, jobTitles) },
	"$randomWord":        func(r *rand.Rand) string { return pick(r, words) },
	"$randomWords":       func(r *rand.Rand) string { return pick(r, words) + " " + pick(r, words) + " " + pick(r, words) },
	"$randomLoremWord":   func(r *rand.Rand) string { return pick(r, lorem) },
	"$randomLoremSentence": func(r *rand.Rand) string {
		s := pick(r, lorem) + " " + pick(r, lorem) + " " + pick(r, lorem) + " " + pick(r, lorem) + "."
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"$randomAlphaNumeric": func(r *rand.Rand) string { return alnum(r, 1) },
	"$randomBoolean":      func(r *rand.Rand) string { return strconv.FormatBool(r.IntN(2) == 1) },
	"$randomColor":        func(r *rand.Rand) string { return pick(r, colours) },
	"$randomHexColor":     func(r *rand.Rand) string { return fmt.Sprintf("#%06x", r.IntN(1<<24)) },
	"$randomIP":           func(r *rand.Rand) string { return fmt.Sprintf("192.0.2.%d", 1+r.IntN(254)) },
	"$randomIPV6":         func(r *rand.Rand) string { return fmt.Sprintf("2001:db8::%x", 1+r.IntN(0xfffe)) },
	"$randomUrl":          func(r *rand.Rand) string { return "https://" + pick(r, words) + ".example.com/" },
	"$randomDomainName":   func(r *rand.Rand) string { return pick(r, words) + ".example.com" },
	"$randomPrice":        func(r *rand.Rand) string { return fmt.Sprintf("%d.%02d", r.IntN(1000), r.IntN(100)) },
	"$randomCurrencyCode": func(r *rand.Rand) string { return pick(r, currencies) },
	"$randomDatePast": func(r *rand.Rand) string {
		return time.Now().UTC().AddDate(0, 0, -1-r.IntN(365)).Format(time.RFC3339)
	},
	"$randomDateFuture": func(r *rand.Rand) string {
		return time.Now().UTC().AddDate(0, 0, 1+r.IntN(365)).Format(time.RFC3339)
	},
	"$randomDateRecent": func(r *rand.Rand) string {
		return time.Now().UTC().Add(-time.Duration(r.IntN(48*3600)) * time.Second).Format(time.RFC3339)
	},
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func userName(r *rand.Rand) string {
	return strings.ToLower(pick(r, firstNames)) + "." + strings.ToLower(pick(r, lastNames)) + strconv.Itoa(r.IntN(100))
}

func alnum(r *rand.Rand, n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

var (
	firstNames      = []string{"Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Tim", "Radia", "Guido", "Hedy", "Niklaus", "Katherine", "Edsger"}
	lastNames       = []string{"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Berners", "Perlman", "Rossum", "Lamarr", "Wirth", "Johnson", "Dijkstra"}
	cities          = []string{"Lisbon", "Nairobi", "Osaka", "Toronto", "Lyon", "Bergen", "Porto Alegre", "Adelaide", "Krakow", "Pune"}
	countries       = []string{"Portugal", "Kenya", "Japan", "Canada", "France", "Norway", "Brazil", "Australia", "Poland", "India"}
	countryCodes    = []string{"PT", "KE", "JP", "CA", "FR", "NO", "BR", "AU", "PL", "IN"}
	companySuffixes = []string{"Labs", "Systems", "Works", "Group", "Studio"}
	jobTitles       = []string{"Engineer", "Product Manager", "Designer", "Support Lead", "Data Analyst", "Accountant"}
	words           = []string{"river", "copper", "lantern", "orbit", "meadow", "signal", "harbor", "pixel", "canyon", "ember", "quartz", "willow"}
	lorem           = []string{"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod", "tempor"}
	colours         = []string{"red", "green", "blue", "orange", "purple", "teal", "yellow", "black", "white", "grey"}
	currencies      = []string{"EUR", "USD", "GBP", "JPY", "CAD", "CHF", "AUD", "BRL"}
)
