// Package plots builds the figures of the reproduction of Lu, Ricciuto &
// Zhang (2022), "Invertible neural networks for E3SM land model
// calibration", as plotly figures, and exports them offline.
//
// The builders take plain Go data (slices, names, units), not the types of
// the project's other packages, so this package stays independent:
//
//   - PosteriorMarginals: Fig. 1, 3, 5, a block per method with the
//     parameters in rows of four (KDE over the prior box relative to the
//     prior, truth red, MAP in the method's colour) and a joint density
//     panel (slatop vs flnr).
//   - PosteriorPredictive: Fig. 2a, 2b, 6, yearly boxes per method with the
//     MAP predictions (one colour per method) and the truth/observation as
//     dashed lines.
//   - EmulationScatter: Fig. 4, emulator against model per year, 1:1 line,
//     R² per panel.
//   - TrainingCurves: loss terms per epoch, train solid, validation dashed,
//     log y, best epoch marked.
//   - CoverageCurves and SBCHistograms: calibration diagnostics.
//   - FlowPicture: data, latent and generated points for teaching.
//
// Every figure has a fixed size at most MaxWidth (960 px) wide, so it fits
// JupyterLab's output area in a 1,400-px window with the file browser open, and looks the same in the
// notebook, an HTML page and a PNG. Tick labels use powers of ten or plain
// numbers, never SI prefixes ("150µ", "600k").
//
// Each returns a *Figure: a go-plotly figure (it embeds *grob.Fig and
// satisfies types.Fig) that can also hold more than six subplot axes.
// Parameter names and units come from the caller (ELM names: rootb_par,
// slatop, flnr, frootcn, froot_leaf, br_mr, crit_dayl, crit_onset_gdd).
// Bad input (mismatched lengths, empty samples, NaN or Inf) gives an error
// wrapping ErrInput that names the method, row and parameter.
//
// Rendering, all without internet:
//
//   - WriteHTML writes a page loading plotly.js from a copy next to it
//     (relative path), or inlined (PlotlyInline); the CDN is only a fallback
//     for a page whose copy is missing. Writes are atomic.
//   - WritePNG / RenderPNG screenshot the page with headless Chromium
//     (Debian package chromium).
//   - Package gonbplot displays figures in GoNB notebooks.
//
// plotly.js 2.34.0 (npm plotly.js-dist-min, the schema go-plotly v0.7.0
// was generated from) is installed by scripts/setup_notebooks.sh into
// third_party/plotly/plotly.min.js, which git ignores. FindPlotlyJS finds it
// through $INNLIB_PLOTLYJS or by walking up from the working directory (and
// from $GONB_DIR in notebooks).
//
// Example:
//
//	fig, err := plots.PosteriorMarginals(plots.MarginalsInput{
//		Title:  "Synthetic case 1",
//		Params: []plots.Param{{Name: "slatop", Unit: "m2 gC-1", Lo: 0.01, Hi: 0.05}, ...},
//		Methods: []plots.MethodSamples{
//			{Name: "INN", Samples: innDraws, MAP: innMAP},
//			{Name: "MCMC", Samples: mcmcDraws, MAP: mcmcMAP},
//		},
//		Truth: truth,
//		Joint: &plots.Joint{X: 1, Y: 2}, // slatop vs flnr
//	})
//	if err != nil { ... }
//	err = plots.WriteHTML(fig, "out/fig1.html", plots.HTMLOptions{Title: "Fig. 1"})
//	err = plots.WritePNG(fig, "out/fig1.png", 0, 0) // the figure's own size
package plots
