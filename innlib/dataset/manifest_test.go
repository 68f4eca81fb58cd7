package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The embedded manifest must be the canonical datasets/elm-usmoz/manifest.json.
func TestEmbeddedManifestIsCanonical(t *testing.T) {
	wd, _ := os.Getwd()
	root := moduleRoot(wd)
	if root == "" {
		t.Skip("not inside the module")
	}
	canon, err := os.ReadFile(filepath.Join(root, "datasets", "elm-usmoz", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(canon, ozarkManifestJSON) {
		t.Fatal("innlib/dataset/manifests/elm-usmoz.json differs from datasets/elm-usmoz/manifest.json; copy the canonical file over it")
	}
}

func TestOzarkManifest(t *testing.T) {
	m, err := OzarkManifest()
	if err != nil {
		t.Fatal(err)
	}
	wantParams := []string{"rootb_par", "slatop", "flnr", "frootcn", "froot_leaf", "br_mr", "crit_dayl", "crit_onset_gdd"}
	var names []string
	for _, p := range m.Parameters {
		names = append(names, p.Name)
		// The sampled box lies inside the paper's stated range.
		if p.Lo < p.PaperLo || p.Hi > p.PaperHi || p.Units == "" || p.Meaning == "" {
			t.Errorf("parameter %+v", p)
		}
	}
	if !slices.Equal(names, wantParams) {
		t.Errorf("parameters %v", names)
	}
	lo, hi := m.Box()
	if lo[0] != 0.5 || hi[0] != 4.0 || lo[7] != 600 || hi[7] != 1000 || hi[5] != 4e-6 {
		t.Errorf("box %v %v", lo, hi)
	}
	for i, o := range m.Outputs {
		if o.Name != "LH_"+[]string{"2006", "2007", "2008", "2009", "2010"}[i] || o.Units != "W m-2" {
			t.Errorf("output %d: %+v", i, o)
		}
	}
	x, _ := m.File("InputPara.npy")
	y, _ := m.FileByRole(RoleOutputs)
	if x.SHA256 != "090b339b7190ca03c839dbfbfd6a3070ccee9889e9829877b70405221e22cb5a" || x.Size != 64128 ||
		y.SHA256 != "db8b0a4880bc812ccd13c23d542b16b22a1e802cb8e536f2f96c4bb3d6d269d0" || y.Size != 40128 || y.Name != "Observations.npy" {
		t.Errorf("files %+v %+v", x, y)
	}
	if got, want := m.URL("InputPara.npy"), "https://raw.githubusercontent.com/patrickfan/GenAI4UQ/afb67f147afaca0fd9e1c45f5ec257a8d7a2b2c4/Conditional-Generative-Model/Dataset/ELM/InputPara.npy"; got != want {
		t.Errorf("URL %s", got)
	}
	if m.Split.Train != 800 || m.Split.Validation != 200 {
		t.Errorf("split %+v", m.Split)
	}
	if len(m.SyntheticCases) != 2 || m.SyntheticCases[0].Row != 974 || m.SyntheticCases[1].Row != 988 {
		t.Errorf("cases %+v", m.SyntheticCases)
	}
	if !slices.Equal(m.Observed.Values, []float64{46.8, 42.0, 53.1, 53.5, 56.5}) || !strings.Contains(m.Observed.Note, "Fig. 2b") {
		t.Errorf("observed %+v", m.Observed)
	}
	if m.Licence.Name != "MIT" || !strings.Contains(m.Licence.Copyright, "2025 Ming Fan") || len(m.Citation) != 2 {
		t.Errorf("licence/citation %+v %v", m.Licence, m.Citation)
	}
	// Each call is a fresh copy.
	m.Parameters[0].Lo = -1
	m2, _ := OzarkManifest()
	if m2.Parameters[0].Lo != 0.5 {
		t.Error("OzarkManifest returned shared state")
	}
}

func TestManifestValidateRejects(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(m *Manifest)
		parts []string
	}{
		{"name", func(m *Manifest) { m.Name = "../up" }, []string{"not a plain file name"}},
		{"file name", func(m *Manifest) { m.Files[0].Name = "a/b.npy" }, []string{"not a plain file name"}},
		{"sha", func(m *Manifest) { m.Files[0].SHA256 = "abc" }, []string{"x.npy", "64 lower-case hex"}},
		{"size", func(m *Manifest) { m.Files[1].Size = 0 }, []string{"y.npy", "size 0"}},
		{"dup file", func(m *Manifest) { m.Files[1].Name = "x.npy" }, []string{"listed twice"}},
		{"url", func(m *Manifest) { m.Origin.URL = "https://x/" }, []string{"{file}"}},
		{"box", func(m *Manifest) { m.Parameters[0].Hi = m.Parameters[0].Lo }, []string{`"a"`, "lo < hi"}},
		{"columns", func(m *Manifest) { m.Outputs = append(m.Outputs, Output{Name: "z"}) }, []string{"1 columns but 2 outputs"}},
		{"split", func(m *Manifest) { m.Split.Validation = 5 }, []string{"split 2 + 5"}},
		{"case", func(m *Manifest) { m.SyntheticCases = []CaseSpec{{Case: 1, Row: 3}} }, []string{"row 3 out of range"}},
		{"observed", func(m *Manifest) { m.Observed = &ObservedSpec{Values: []float64{1, 2}} }, []string{"2 values for 1 outputs"}},
	}
	for _, c := range cases {
		m, _ := tinyEnsemble(t)
		c.edit(m)
		wantErr(t, m.Validate(), c.parts...)
	}
	_, err := ParseManifest([]byte(`{"name": "x", "fiels": []}`))
	wantErr(t, err, `unknown field "fiels"`)
	_, err = ReadManifest(filepath.Join(t.TempDir(), "none.json"))
	wantErr(t, err, "none.json")
}
