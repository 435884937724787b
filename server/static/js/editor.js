// A plain <textarea> with a line-number gutter and a line marker, so an error that names a line
// can be shown on that line. No editor library: the format is one short line per monomer.

export class LineEditor {
  /** @param {HTMLElement} root a .editor element containing a .gutter, a .line-mark and a textarea */
  constructor(root) {
    this.root = root;
    this.textarea = root.querySelector("textarea");
    this.gutter = root.querySelector(".gutter");
    this.mark = root.querySelector(".line-mark");
    this.marked = null;
    this.textarea.addEventListener("input", () => {
      this.clearMark();
      this.renderGutter();
    });
    this.textarea.addEventListener("scroll", () => this.sync());
    window.addEventListener("resize", () => this.sync());
    this.renderGutter();
  }

  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.clearMark();
    this.renderGutter();
  }

  lineCount() {
    return this.textarea.value.split(/\r\n|\r|\n/).length;
  }

  renderGutter() {
    const count = Math.max(this.lineCount(), 1);
    if (this.gutter.childElementCount !== count) {
      const fragment = document.createDocumentFragment();
      for (let i = 1; i <= count; i++) {
        const n = document.createElement("div");
        n.textContent = String(i);
        fragment.append(n);
      }
      this.gutter.replaceChildren(fragment);
    }
    this.gutter.querySelectorAll(".error").forEach((n) => n.classList.remove("error"));
    if (this.marked) this.gutter.children[this.marked - 1]?.classList.add("error");
    this.sync();
  }

  /** Keep gutter and marker aligned with the text as it scrolls. */
  sync() {
    this.gutter.scrollTop = this.textarea.scrollTop;
    if (!this.marked) return;
    const style = getComputedStyle(this.textarea);
    const lineHeight = parseFloat(style.lineHeight);
    const top = parseFloat(style.paddingTop) + (this.marked - 1) * lineHeight - this.textarea.scrollTop;
    this.mark.style.setProperty("top", `${top}px`);
    this.mark.style.setProperty("height", `${lineHeight}px`);
    this.mark.hidden = top < -lineHeight || top > this.textarea.clientHeight;
  }

  /** Highlight a 1-based line and scroll it into view. */
  markLine(line) {
    if (!Number.isInteger(line) || line < 1 || line > this.lineCount()) return false;
    this.marked = line;
    this.root.classList.add("has-error");
    this.root.dataset.errorLine = String(line);
    const lineHeight = parseFloat(getComputedStyle(this.textarea).lineHeight);
    const wanted = (line - 1) * lineHeight;
    if (wanted < this.textarea.scrollTop || wanted > this.textarea.scrollTop + this.textarea.clientHeight - lineHeight) {
      this.textarea.scrollTop = Math.max(0, wanted - this.textarea.clientHeight / 2);
    }
    this.renderGutter();
    return true;
  }

  clearMark() {
    this.marked = null;
    this.root.classList.remove("has-error");
    delete this.root.dataset.errorLine;
    this.mark.hidden = true;
    this.gutter.querySelectorAll(".error").forEach((n) => n.classList.remove("error"));
  }

  /** The text of a 1-based line. */
  lineText(line) {
    return this.textarea.value.split(/\r\n|\r|\n/)[line - 1] ?? "";
  }
}
