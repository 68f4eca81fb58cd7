// Package notebook is what the project's GoNB notebooks share, so that
// their cells keep only the narrative and calls into the library: the
// Ozark experiment's output folder, running or reusing the experiment,
// opening its results, and showing tables and figures in a cell.
//
// GoNB compiles each cell as a fresh program: cells share declarations,
// not values. The experiment therefore lives on disk, in OutDir, and each
// cell reads what it needs. Notebooks never write into the main job's
// folder (MainDir, out/ozark): they read its results when it has them, and
// otherwise run the experiment into their own folder (OwnDir,
// out/notebooks/ozark). The helpers panic on error, which is how a
// notebook cell reports one (the panic shows in the cell's output); library
// code should call the error-returning functions they wrap.
//
// A notebook in notebooks/ starts with a cell pointing its module at the
// repository:
//
//	!*go mod edit -replace github.com/ozarkinn/inn=${GONB_DIR}/.. -require github.com/ozarkinn/inn@v0.0.0-00010101000000-000000000000
//
// then reads (or, without the main job's results, runs) the experiment once:
//
//	import "github.com/ozarkinn/inn/innlib/notebook"
//
//	%%
//	notebook.Experiment()
//
// and later cells show its results:
//
//	%%
//	o := notebook.Output()
//	notebook.Show(o.ParamTable("synthetic-1"))
//	notebook.Plot(o.Marginals("synthetic-1"))
//
// Outside a notebook (GONB_DIR unset, e.g. in tests) Show prints tables as
// plain text and Plot prints a note instead of the figure.
//
// Two helpers serve the teaching notebooks: SaveVariables and LoadVariables
// carry a GoMLX context's trained variables from one cell (program) to the
// next (notebook 1), and Amortized opens the experiment's saved networks
// read-only and turns any observation into posterior marginals and a
// posterior-predictive figure in milliseconds, with MCMC beside it for
// comparison (notebook 7):
//
//	a := notebook.Must(notebook.OpenAmortized(notebook.OutDir()))
//	u := notebook.Must(a.Update(obs, 1.0, 1000, 1, "", nil))
//	notebook.Plot(u.Figure, nil)
package notebook
