#pragma once
// Which characters the panel's font atlas holds. The atlas is rasterised on the CPU (stb_truetype)
// before a frame can show text; in the browser that sits between the downloaded files and the
// first paint. So the web build bakes only what the present state draws (GlyphsShown) and bakes
// again, with more, when the state asks for characters it lacks; the kiosk bakes everything once.
#include <string>

#include "widget_model.h"

namespace hcp::widget {

// Every character the panel may draw for this model (labels, levels, reasons, messages, names).
std::string GlyphsFor(const WidgetModel& m);

// The characters the panel draws in the model's present state and language (UTF-8): its labels,
// the level names, the reasons offered for the chosen level, the message why submit is inactive,
// the edge's messages, printable ASCII (counter, English), and, with `header`, the item and unit.
std::string GlyphsShown(const WidgetModel& m, bool header);

// Whether the panel draws in the title size in the model's present state: the header (`header`)
// or an outcome screen (done, already rated, queued, failed; after submitting). The web build
// bakes that size only then: its first screen rasterises one size instead of two.
bool NeedsTitleFont(const WidgetModel& m, bool header);

// Whether the panel shows an outcome instead of the form (widget_ui.cpp's DrawWidget).
bool ShowsOutcome(const WidgetModel& m);

}  // namespace hcp::widget
