package main

import (
	"fmt"
	"io"

	"mamori/internal/policy"
)

// showArticles prints the index of the source beside the pack: per chapter how many articles an
// element acts on, and the articles none does yet (未対応).
func showArticles(w io.Writer, p *policy.Compiled) {
	if len(p.Articles) == 0 {
		return
	}
	cov := p.Coverage()
	fmt.Fprintf(w, "\n■ 原典の条項（%d件: 対応あり%d件・未対応%d件）\n", cov.Acted+cov.NotActed, cov.Acted, cov.NotActed)
	for _, ch := range cov.Chapters {
		fmt.Fprintf(w, "  %s（対応あり%d件・未対応%d件）\n", ch.Chapter, ch.Acted, ch.NotActed)
		for _, a := range ch.Articles {
			if !a.Acted() {
				fmt.Fprintf(w, "    未対応 ［%s］%s\n", a.Article, a.Title)
			}
		}
	}
}
