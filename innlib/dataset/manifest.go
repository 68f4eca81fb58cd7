package dataset

import (
	"bytes"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"strings"
)

// Manifest describes a dataset the project downloads rather than commits: where
// the files come from (pinned to a commit), their SHA-256 sums and sizes, and
// what their rows and columns mean.
type Manifest struct {
	Name        string `json:"name"` // Directory name in the cache and in a mirror.
	Title       string `json:"title"`
	Description string `json:"description"`

	Origin   Origin   `json:"origin"`
	Licence  Licence  `json:"licence"`
	Citation []string `json:"citation"`
	Files    []File   `json:"files"`

	Parameters []Parameter `json:"parameters"`
	BoxNote    string      `json:"box_note"`
	Outputs    []Output    `json:"outputs"`

	Split          Split         `json:"split"`
	SyntheticCases []CaseSpec    `json:"synthetic_cases"`
	Observed       *ObservedSpec `json:"observed,omitempty"`
}

// Origin is where the files are downloaded from.
type Origin struct {
	Repository string `json:"repository"`
	Commit     string `json:"commit"`
	Folder     string `json:"folder"`
	// URL is a pattern in which {commit} and {file} are replaced by Commit
	// and the file name.
	URL string `json:"url"`
}

// Licence records the data's licence; the files themselves are never committed.
type Licence struct {
	Name      string `json:"name"`
	Copyright string `json:"copyright"`
	Note      string `json:"note"`
}

// File is one data file with the checksum every copy must match.
type File struct {
	Name        string `json:"name"`
	Role        string `json:"role"` // "parameters" or "outputs" for ensembles.
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"` // Bytes.
	DType       string `json:"dtype"`
	Shape       []int  `json:"shape"`
	Description string `json:"description"`
}

// Parameter is one input column. Lo and Hi bound the box actually sampled;
// PaperLo and PaperHi are the ranges printed in the paper, for information.
type Parameter struct {
	Name    string  `json:"name"`
	Units   string  `json:"units"`
	Meaning string  `json:"meaning"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	PaperLo float64 `json:"paper_lo"`
	PaperHi float64 `json:"paper_hi"`
}

// Output is one output column.
type Output struct {
	Name    string `json:"name"`
	Units   string `json:"units"`
	Meaning string `json:"meaning"`
}

// Split is the default train/validation split: the first Train rows train,
// the next Validation rows validate.
type Split struct {
	Train      int    `json:"train"`
	Validation int    `json:"validation"`
	Note       string `json:"note"`
}

// CaseSpec names a row of the ensemble used as a synthetic truth.
type CaseSpec struct {
	Case int    `json:"case"`
	Row  int    `json:"row"` // 0-based.
	Note string `json:"note"`
}

// ObservedSpec holds real observations of the outputs.
type ObservedSpec struct {
	Site        string    `json:"site"`
	Years       []int     `json:"years"`
	Values      []float64 `json:"values"`
	Units       string    `json:"units"`
	Uncertainty float64   `json:"uncertainty"` // Reading error of the values, in Units.
	Note        string    `json:"note"`
}

// Roles of files in an ensemble manifest.
const (
	RoleParameters = "parameters"
	RoleOutputs    = "outputs"
)

// The canonical copy is datasets/elm-usmoz/manifest.json at the repository
// root; embed cannot reach it, so a test keeps this copy identical.
//
//go:embed manifests/elm-usmoz.json
var ozarkManifestJSON []byte

// OzarkManifest returns the manifest of the ELM US-MOz ensemble of the paper.
// Each call returns a fresh copy that the caller may modify.
func OzarkManifest() (*Manifest, error) {
	return ParseManifest(ozarkManifestJSON)
}

// ReadManifest reads and checks a manifest file.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: reading manifest: %w", err)
	}
	m, err := ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return m, nil
}

// ParseManifest decodes a manifest from JSON and checks it with Validate.
// Unknown fields are rejected so that a typo is not silently ignored.
func ParseManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("dataset: decoding manifest: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Validate checks that the manifest is complete and self-consistent. Names are
// used as path elements, so they must be plain file names.
func (m *Manifest) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("dataset: manifest %q: %s", m.Name, fmt.Sprintf(format, args...))
	}
	if err := checkPathElem(m.Name); err != nil {
		return bad("name: %v", err)
	}
	if len(m.Files) == 0 {
		return bad("no files")
	}
	seen := map[string]bool{}
	roles := map[string]*File{}
	for i := range m.Files {
		f := &m.Files[i]
		if err := checkPathElem(f.Name); err != nil {
			return bad("file %d: %v", i+1, err)
		}
		if seen[f.Name] {
			return bad("file %q listed twice", f.Name)
		}
		seen[f.Name] = true
		if b, err := hex.DecodeString(f.SHA256); err != nil || len(b) != 32 || strings.ToLower(f.SHA256) != f.SHA256 {
			return bad("file %q: sha256 %q is not 64 lower-case hex digits", f.Name, f.SHA256)
		}
		if f.Size <= 0 {
			return bad("file %q: size %d must be positive", f.Name, f.Size)
		}
		if f.Role != "" {
			if roles[f.Role] != nil {
				return bad("two files have role %q", f.Role)
			}
			roles[f.Role] = f
		}
	}
	if m.Origin.URL == "" || !strings.Contains(m.Origin.URL, "{file}") {
		return bad("origin url %q must contain {file}", m.Origin.URL)
	}
	for i, p := range m.Parameters {
		if p.Name == "" {
			return bad("parameter %d has no name", i+1)
		}
		if !(p.Lo < p.Hi) || math.IsInf(p.Lo, 0) || math.IsInf(p.Hi, 0) {
			return bad("parameter %q: box [%g, %g] is not a finite interval with lo < hi", p.Name, p.Lo, p.Hi)
		}
	}
	for i, o := range m.Outputs {
		if o.Name == "" {
			return bad("output %d has no name", i+1)
		}
	}
	rows := -1
	for role, want := range map[string]int{RoleParameters: len(m.Parameters), RoleOutputs: len(m.Outputs)} {
		f := roles[role]
		if f == nil {
			continue
		}
		if len(f.Shape) != 2 || f.Shape[0] < 1 {
			return bad("file %q: shape %v must be (rows, columns)", f.Name, f.Shape)
		}
		if want > 0 && f.Shape[1] != want {
			return bad("file %q has %d columns but %d %s are named", f.Name, f.Shape[1], want, role)
		}
		if rows >= 0 && f.Shape[0] != rows {
			return bad("parameter and output files have different row counts")
		}
		rows = f.Shape[0]
	}
	if s := m.Split; s.Train != 0 || s.Validation != 0 {
		if s.Train < 1 || s.Validation < 1 || (rows >= 0 && s.Train+s.Validation > rows) {
			return bad("split %d + %d does not fit %d rows", s.Train, s.Validation, rows)
		}
	}
	for _, c := range m.SyntheticCases {
		if c.Row < 0 || (rows >= 0 && c.Row >= rows) {
			return bad("synthetic case %d: row %d out of range [0, %d)", c.Case, c.Row, rows)
		}
	}
	if o := m.Observed; o != nil {
		if len(o.Values) != len(m.Outputs) {
			return bad("observed has %d values for %d outputs", len(o.Values), len(m.Outputs))
		}
		for i, v := range o.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad("observed value %d is %g", i+1, v)
			}
		}
	}
	return nil
}

// checkPathElem rejects names that could escape the cache directory.
func checkPathElem(s string) error {
	if s == "" || s == "." || s == ".." || strings.ContainsAny(s, `/\`) || strings.ContainsRune(s, 0) {
		return fmt.Errorf("%q is not a plain file name", s)
	}
	return nil
}

// File returns the file with the given name.
func (m *Manifest) File(name string) (*File, bool) {
	for i := range m.Files {
		if m.Files[i].Name == name {
			return &m.Files[i], true
		}
	}
	return nil, false
}

// FileByRole returns the file with the given role (RoleParameters, RoleOutputs).
func (m *Manifest) FileByRole(role string) (*File, bool) {
	for i := range m.Files {
		if m.Files[i].Role == role {
			return &m.Files[i], true
		}
	}
	return nil, false
}

// URL returns the origin download URL of the named file.
func (m *Manifest) URL(file string) string {
	r := strings.NewReplacer("{commit}", m.Origin.Commit, "{file}", url.PathEscape(file))
	return r.Replace(m.Origin.URL)
}

// Box returns the sampled prior box (Lo, Hi) in parameter order.
func (m *Manifest) Box() (lo, hi []float64) {
	lo = make([]float64, len(m.Parameters))
	hi = make([]float64, len(m.Parameters))
	for i, p := range m.Parameters {
		lo[i], hi[i] = p.Lo, p.Hi
	}
	return lo, hi
}
