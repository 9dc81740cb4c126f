// Opened from disk (file://), a browser lets no page fetch another: the search then lists
// its results without the summaries it would fetch from each page.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
