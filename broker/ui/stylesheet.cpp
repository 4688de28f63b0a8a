#include "ui/html.h"

namespace passerelle {

// One small stylesheet for every page: a centred card that fills a phone's
// width and stays narrow on a desktop; visible focus for keyboard users.
std::string_view stylesheet() {
  return R"css(:root { color-scheme: light dark; --accent: #2f5fd0; --danger: #b3261e; --line: #8884; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: Canvas; color: CanvasText; }
.card { width: 100%; max-width: 24rem; padding: 1.75rem; border: 1px solid var(--line); border-radius: 12px; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
p.lead { margin: 0 0 1.25rem; opacity: .8; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input[type=email], input[type=text], input[type=password] { width: 100%; padding: .6rem .7rem; font: inherit;
  border: 1px solid var(--line); border-radius: 8px; background: Field; color: FieldText; }
button, .button { display: block; width: 100%; margin-top: 1.25rem; padding: .65rem; font: inherit; font-weight: 600;
  border: 0; border-radius: 8px; background: var(--accent); color: #fff; cursor: pointer; text-align: center;
  text-decoration: none; }
.button.secondary, button.secondary { background: transparent; color: inherit; border: 1px solid var(--line);
  margin-top: .6rem; }
.hint { margin: 0 0 .35rem; font-size: .9rem; opacity: .8; }
label.check { display: flex; gap: .5rem; align-items: center; font-weight: 400; }
label.check input { width: 1.15rem; height: 1.15rem; }
figure.qr { margin: 1rem auto; max-width: 14rem; }
svg.qr { display: block; width: 100%; height: auto; }
ul.codes { columns: 2; padding-left: 1.25rem; font-size: 1.05rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.alert { padding: .6rem .8rem; border-radius: 8px; border: 1px solid var(--danger); color: var(--danger); }
.divider { text-align: center; margin: 1.25rem 0 0; opacity: .7; }
code { word-break: break-all; }
body.wide { display: block; padding: 0; }
.panel { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
nav.top { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; align-items: center; padding: .75rem 0 1rem;
  border-bottom: 1px solid var(--line); margin-bottom: 1.25rem; }
nav.top a { color: inherit; font-weight: 600; text-decoration: none; padding: .25rem 0; }
nav.top a[aria-current=page] { border-bottom: 3px solid var(--accent); }
nav.top .brand { margin-right: auto; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 1.5rem; }
th, td { text-align: left; padding: .5rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
@media (max-width: 40rem) { table, tbody, tr, td { display: block; } thead { display: none; }
  tr { border-bottom: 1px solid var(--line); padding: .4rem 0; } td { border: 0; padding: .15rem 0; } }
fieldset { border: 1px solid var(--line); border-radius: 10px; padding: .5rem 1rem 1rem; margin: 0 0 1.25rem; }
legend { font-weight: 700; padding: 0 .3rem; }
.switch { display: flex; gap: .6rem; align-items: center; font-weight: 600; margin: .75rem 0 .25rem; }
.switch input { width: 1.25rem; height: 1.25rem; accent-color: var(--accent); }
.hint { margin: .15rem 0 0; font-size: .875rem; opacity: .75; }
input[type=number], input[type=search] { width: 100%; max-width: 16rem; padding: .5rem .6rem; font: inherit;
  border: 1px solid var(--line); border-radius: 8px; background: Field; color: FieldText; }
input:disabled { opacity: .55; }
.panel button, .panel .button { display: inline-block; width: auto; padding: .5rem 1rem; margin-top: .75rem; }
.panel td button { margin: 0; padding: .3rem .7rem; }
button.danger { background: var(--danger); }
.notice { padding: .6rem .8rem; border-radius: 8px; border: 1px solid var(--accent); }
.notice[data-state=error] { border-color: var(--danger); color: var(--danger); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
form.search { display: flex; gap: .5rem; align-items: end; flex-wrap: wrap; }
)css";
}

}  // namespace passerelle
