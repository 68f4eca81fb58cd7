// Package dataset fetches, verifies and reads the ensembles the INN is
// trained on: the paper's ELM ensemble at the US-MOz site and ensembles a
// user brings as CSV.
//
// # Data are fetched, never committed
//
// A Manifest (datasets/<name>/manifest.json at the repository root; the
// US-MOz one is embedded, see OzarkManifest) pins each file's origin URL to
// a commit and records its SHA-256 and size. Fetch puts the files in a cache:
//
//   - the cache directory is $INNLIB_CACHE if set, else
//     os.UserCacheDir()/innlib (e.g. ~/.cache/innlib), or the dir argument;
//     a dataset lives in <cache>/<manifest name>/;
//   - a cached file whose checksum matches is reused;
//   - otherwise, if $INNLIB_DATA_MIRROR names a folder laid out as
//     <mirror>/<manifest name>/<file>, the file is copied from there;
//     otherwise it is downloaded from the origin;
//   - every copy is written to a temporary file, verified (size, then
//     SHA-256), and renamed into place, so a failed or killed fetch never
//     leaves a partial file under the final name.
//
// # Rows and columns
//
// Go indices (Ensemble.Row, Case.Row, Manifest synthetic-case rows) are
// 0-based. Error messages count as a user does: row 1 is the first data row
// (a CSV header is not a data row; CSV errors give the file line as well),
// column 1 the first column, and they add the 0-based index of the row.
// Bad values are reported as *DataError, which carries the same positions.
//
// # Formats
//
// ReadNPY reads 2-D float64 or float32 .npy arrays; 1-D arrays are rejected
// because they are ambiguous. ReadCSV reads comma-separated text with a
// header row naming the columns; LoadEnsembleCSV and LoadEnsembleCSVPair
// build an Ensemble from one or two such files, LoadEnsembleFiles from a
// parameter file and an output file each CSV or .npy, LoadBoxCSV reads a
// prior box (SampledBox estimates one from the runs), LoadObservationsCSV,
// NewObservations and ParseObservations build Observations. NaN and ±Inf are
// rejected everywhere.
//
// Usage:
//
//	oz, err := dataset.LoadOzark(ctx, "")      // 1000 runs, 8 parameters, 5 outputs
//	train, val, err := oz.DefaultSplit()       // first 800 / last 200
//	case1, err := oz.SyntheticCase(1)          // row 974
//	obs, err := oz.Observed()                  // LH 2006-2010 at US-MOz
//
//	ens, err := dataset.LoadEnsembleCSV("runs.csv",
//		[]string{"a", "b"}, []string{"y1", "y2"})
package dataset
