"""The pinned headline cases of test_headline.py in German, French and Japanese, word for
word (English is pinned there): whole sentences in each language's order, its plural forms,
its numbers and dates. Regenerate only after reading every sentence."""

PINNED = {
    "de": {
        "worsening": (
            "Der Gesamtzustand sank um 5 Punkte auf 83 von 100 (Gelb), nach 88 (Grün) im Q2 2025.",
            "Joint Project Milestone Delivery fiel von Grün auf Rot (88\u00a0% bei Ziel 95\u00a0"
            "%), Joint Revenue Growth stieg von Gelb auf Grün (6,2\u00a0% bei Ziel 5\u00a0%) und "
            "Executive Engagement Score fiel von Grün auf Gelb (4,0 bei Ziel 4,5).",
            "Seit Q2 2025 sind 2 Risiken gestiegen: SR-02 von 9 auf 12 (jetzt Hoch) und SR-03 von "
            "9 auf 12 (jetzt Hoch).",
            "Die Sitzung soll 2 Entscheidungen treffen, die früheste ist am 31. Okt. 2025 fällig "
            "(D-02); 1 Maßnahme aus der letzten Sitzung ist überfällig (A-02, fällig am 30. Sept. "
            "2025).",
        ),
        "improving": (
            "Der Gesamtzustand stieg um 5 Punkte auf 83 von 100 (Gelb), nach 78 (Gelb) im Q2 2025.",
            "Cost Synergy Realization stieg von Rot auf Gelb ($1,8M bei Ziel $2,0M).",
            "3 von 4 offenen Risiken sind als Hoch oder Kritisch eingestuft: SR-02 mit 12 (Hoch), "
            "SR-03 mit 12 (Hoch) und SR-01 mit 10 (Hoch).",
            "Die Sitzung soll 2 Entscheidungen treffen, die früheste ist am 31. Okt. 2025 fällig "
            "(D-02); 1 Maßnahme aus der letzten Sitzung ist überfällig (A-02, fällig am 30. Sept. "
            "2025).",
        ),
        "unchanged": (
            "Der Gesamtzustand liegt seit Q2 2025 unverändert bei 83 von 100 (Gelb).",
            "Seit Q2 2025 hat keine KPI ihren Status geändert: 3 von 6 KPIs stehen auf Grün, 2 "
            "stehen auf Gelb und 1 steht auf Rot (Joint Project Milestone Delivery, 88\u00a0% bei "
            "Ziel 95\u00a0%).",
            "3 von 4 offenen Risiken sind als Hoch oder Kritisch eingestuft: SR-02 mit 12 (Hoch), "
            "SR-03 mit 12 (Hoch) und SR-01 mit 10 (Hoch).",
            "Die Sitzung soll 2 Entscheidungen treffen, die früheste ist am 31. Okt. 2025 fällig "
            "(D-02); 1 Maßnahme aus der letzten Sitzung ist überfällig (A-02, fällig am 30. Sept. "
            "2025).",
        ),
        "first_quarter": (
            "Der Gesamtzustand liegt bei 83 von 100 (Gelb); Q3 2025 ist das erste archivierte "
            "Quartal, ein Vergleich mit einem früheren Quartal ist daher nicht möglich.",
            "3 von 6 KPIs stehen auf Grün, 2 stehen auf Gelb und 1 steht auf Rot (Joint Project "
            "Milestone Delivery, 88\u00a0% bei Ziel 95\u00a0%).",
            "3 von 4 offenen Risiken sind als Hoch oder Kritisch eingestuft: SR-02 mit 12 (Hoch), "
            "SR-03 mit 12 (Hoch) und SR-01 mit 10 (Hoch).",
            "Die Sitzung soll 2 Entscheidungen treffen, die früheste ist am 31. Okt. 2025 fällig "
            "(D-02); 1 Maßnahme aus der letzten Sitzung ist überfällig (A-02, fällig am 30. Sept. "
            "2025).",
        ),
        "all_green": (
            "Der Gesamtzustand liegt bei 100 von 100 (Grün); Q3 2025 ist das erste archivierte "
            "Quartal, ein Vergleich mit einem früheren Quartal ist daher nicht möglich.",
            "Alle 6 KPIs stehen auf Grün.",
            "Von dieser Sitzung wird keine Entscheidung erbeten.",
        ),
        "all_no_data": (
            "Der Gesamtzustand liegt bei 0 von 100 (Rot); Q3 2025 ist das erste archivierte "
            "Quartal, ein Vergleich mit einem früheren Quartal ist daher nicht möglich.",
            "Für keine der 6 KPIs liegt in diesem Quartal ein Ist-Wert vor; alle stehen daher auf "
            "Keine Daten.",
            "3 von 4 offenen Risiken sind als Hoch oder Kritisch eingestuft: SR-02 mit 12 (Hoch), "
            "SR-03 mit 12 (Hoch) und SR-01 mit 10 (Hoch).",
            "Die Sitzung soll 2 Entscheidungen treffen, die früheste ist am 31. Okt. 2025 fällig "
            "(D-02); 1 Maßnahme aus der letzten Sitzung ist überfällig (A-02, fällig am 30. Sept. "
            "2025).",
        ),
        "only_risks_changed": (
            "Der Gesamtzustand liegt seit Q2 2025 unverändert bei 83 von 100 (Gelb).",
            "Seit Q2 2025 hat keine KPI ihren Status geändert: 3 von 6 KPIs stehen auf Grün, 2 "
            "stehen auf Gelb und 1 steht auf Rot (Joint Project Milestone Delivery, 88\u00a0% bei "
            "Ziel 95\u00a0%).",
            "Seit Q2 2025 ist 1 Risiko gestiegen: SR-01 von 6 auf 10 (jetzt Hoch); 1 ist neu: "
            "SR-04 mit 9 (Mittel).",
            "Die Sitzung soll 2 Entscheidungen treffen, die früheste ist am 31. Okt. 2025 fällig "
            "(D-02); 1 Maßnahme aus der letzten Sitzung ist überfällig (A-02, fällig am 30. Sept. "
            "2025).",
        ),
        "overdue_decisions": (
            "Der Gesamtzustand liegt seit Q2 2025 unverändert bei 83 von 100 (Gelb).",
            "Seit Q2 2025 hat keine KPI ihren Status geändert: 3 von 6 KPIs stehen auf Grün, 2 "
            "stehen auf Gelb und 1 steht auf Rot (Joint Project Milestone Delivery, 88\u00a0% bei "
            "Ziel 95\u00a0%).",
            "3 von 4 offenen Risiken sind als Hoch oder Kritisch eingestuft: SR-02 mit 12 (Hoch), "
            "SR-03 mit 12 (Hoch) und SR-01 mit 10 (Hoch).",
            "Die Sitzung soll 2 Entscheidungen treffen, davon 2 überfällig; die früheste war am "
            "31. Okt. 2025 fällig (D-02, 20 Tage überfällig); 1 Maßnahme aus der letzten Sitzung "
            "ist überfällig (A-02, fällig am 30. Sept. 2025).",
        ),
        "many_overdue_actions": (
            "Der Gesamtzustand liegt bei 83 von 100 (Gelb); Q3 2025 ist das erste archivierte "
            "Quartal, ein Vergleich mit einem früheren Quartal ist daher nicht möglich.",
            "3 von 6 KPIs stehen auf Grün, 2 stehen auf Gelb und 1 steht auf Rot (Joint Project "
            "Milestone Delivery, 88\u00a0% bei Ziel 95\u00a0%).",
            "3 von 4 offenen Risiken sind als Hoch oder Kritisch eingestuft: SR-02 mit 12 (Hoch), "
            "SR-03 mit 12 (Hoch) und SR-01 mit 10 (Hoch).",
            "Die Sitzung soll 2 Entscheidungen treffen, die früheste ist am 31. Okt. 2025 fällig "
            "(D-02); 6 Maßnahmen aus der letzten Sitzung sind überfällig (A-1, A-2, A-3 und 3 "
            "weitere).",
        ),
    },
    "fr": {
        "worsening": (
            "La santé globale a reculé de 5 points à 83 sur 100 (Orange), contre 88 (Vert) au T2 "
            "2025.",
            "Joint Project Milestone Delivery est passé du statut Vert au statut Rouge (88\u00a0% "
            "pour un objectif de 95\u00a0%), Joint Revenue Growth est remonté du statut Orange au "
            "statut Vert (6,2\u00a0% pour un objectif de 5\u00a0%) et Executive Engagement Score "
            "est passé du statut Vert au statut Orange (4,0 pour un objectif de 4,5).",
            "2 risques ont augmenté depuis le T2 2025 : SR-02 de 9 à 12 (désormais Élevé) et "
            "SR-03 de 9 à 12 (désormais Élevé).",
            "La réunion est invitée à prendre 2 décisions, la première attendue le 31 oct. 2025 "
            "(D-02) ; 1 action de la dernière revue est en retard (A-02, échéance le 30 sept. "
            "2025).",
        ),
        "improving": (
            "La santé globale a progressé de 5 points pour atteindre 83 sur 100 (Orange), contre "
            "78 (Orange) au T2 2025.",
            "Cost Synergy Realization est remonté du statut Rouge au statut Orange ($1,8M pour un "
            "objectif de $2,0M).",
            "3 risques ouverts sur 4 sont classés Élevé ou Critique : SR-02 à 12 (Élevé), SR-03 à "
            "12 (Élevé) et SR-01 à 10 (Élevé).",
            "La réunion est invitée à prendre 2 décisions, la première attendue le 31 oct. 2025 "
            "(D-02) ; 1 action de la dernière revue est en retard (A-02, échéance le 30 sept. "
            "2025).",
        ),
        "unchanged": (
            "La santé globale est inchangée depuis le T2 2025, à 83 sur 100 (Orange).",
            "Aucun KPI n’a changé de statut depuis le T2 2025 : 3 KPI sur 6 sont en Vert, 2 sont "
            "en Orange et 1 est en Rouge (Joint Project Milestone Delivery, 88\u00a0% pour un "
            "objectif de 95\u00a0%).",
            "3 risques ouverts sur 4 sont classés Élevé ou Critique : SR-02 à 12 (Élevé), SR-03 à "
            "12 (Élevé) et SR-01 à 10 (Élevé).",
            "La réunion est invitée à prendre 2 décisions, la première attendue le 31 oct. 2025 "
            "(D-02) ; 1 action de la dernière revue est en retard (A-02, échéance le 30 sept. "
            "2025).",
        ),
        "first_quarter": (
            "La santé globale s’établit à 83 sur 100 (Orange) ; T3 2025 est le premier trimestre "
            "archivé, aucune comparaison avec un trimestre antérieur n’est donc possible.",
            "3 KPI sur 6 sont en Vert, 2 sont en Orange et 1 est en Rouge (Joint Project "
            "Milestone Delivery, 88\u00a0% pour un objectif de 95\u00a0%).",
            "3 risques ouverts sur 4 sont classés Élevé ou Critique : SR-02 à 12 (Élevé), SR-03 à "
            "12 (Élevé) et SR-01 à 10 (Élevé).",
            "La réunion est invitée à prendre 2 décisions, la première attendue le 31 oct. 2025 "
            "(D-02) ; 1 action de la dernière revue est en retard (A-02, échéance le 30 sept. "
            "2025).",
        ),
        "all_green": (
            "La santé globale s’établit à 100 sur 100 (Vert) ; T3 2025 est le premier trimestre "
            "archivé, aucune comparaison avec un trimestre antérieur n’est donc possible.",
            "Les 6 KPI sont tous en Vert.",
            "Aucune décision n’est demandée à cette réunion.",
        ),
        "all_no_data": (
            "La santé globale s’établit à 0 sur 100 (Rouge) ; T3 2025 est le premier trimestre "
            "archivé, aucune comparaison avec un trimestre antérieur n’est donc possible.",
            "Aucun des 6 KPI n’a de valeur réelle ce trimestre ; tous sont donc « Sans données ».",
            "3 risques ouverts sur 4 sont classés Élevé ou Critique : SR-02 à 12 (Élevé), SR-03 à "
            "12 (Élevé) et SR-01 à 10 (Élevé).",
            "La réunion est invitée à prendre 2 décisions, la première attendue le 31 oct. 2025 "
            "(D-02) ; 1 action de la dernière revue est en retard (A-02, échéance le 30 sept. "
            "2025).",
        ),
        "only_risks_changed": (
            "La santé globale est inchangée depuis le T2 2025, à 83 sur 100 (Orange).",
            "Aucun KPI n’a changé de statut depuis le T2 2025 : 3 KPI sur 6 sont en Vert, 2 sont "
            "en Orange et 1 est en Rouge (Joint Project Milestone Delivery, 88\u00a0% pour un "
            "objectif de 95\u00a0%).",
            "1 risque a augmenté depuis le T2 2025 : SR-01 de 6 à 10 (désormais Élevé) ; 1 est "
            "nouveau : SR-04 à 9 (Moyen).",
            "La réunion est invitée à prendre 2 décisions, la première attendue le 31 oct. 2025 "
            "(D-02) ; 1 action de la dernière revue est en retard (A-02, échéance le 30 sept. "
            "2025).",
        ),
        "overdue_decisions": (
            "La santé globale est inchangée depuis le T2 2025, à 83 sur 100 (Orange).",
            "Aucun KPI n’a changé de statut depuis le T2 2025 : 3 KPI sur 6 sont en Vert, 2 sont "
            "en Orange et 1 est en Rouge (Joint Project Milestone Delivery, 88\u00a0% pour un "
            "objectif de 95\u00a0%).",
            "3 risques ouverts sur 4 sont classés Élevé ou Critique : SR-02 à 12 (Élevé), SR-03 à "
            "12 (Élevé) et SR-01 à 10 (Élevé).",
            "La réunion est invitée à prendre 2 décisions, dont 2 en retard ; la plus ancienne "
            "était attendue le 31 oct. 2025 (D-02, 20 jours de retard) ; 1 action de la dernière "
            "revue est en retard (A-02, échéance le 30 sept. 2025).",
        ),
        "many_overdue_actions": (
            "La santé globale s’établit à 83 sur 100 (Orange) ; T3 2025 est le premier trimestre "
            "archivé, aucune comparaison avec un trimestre antérieur n’est donc possible.",
            "3 KPI sur 6 sont en Vert, 2 sont en Orange et 1 est en Rouge (Joint Project "
            "Milestone Delivery, 88\u00a0% pour un objectif de 95\u00a0%).",
            "3 risques ouverts sur 4 sont classés Élevé ou Critique : SR-02 à 12 (Élevé), SR-03 à "
            "12 (Élevé) et SR-01 à 10 (Élevé).",
            "La réunion est invitée à prendre 2 décisions, la première attendue le 31 oct. 2025 "
            "(D-02) ; 6 actions de la dernière revue sont en retard (A-1, A-2, A-3 et 3 autres).",
        ),
    },
    "ja": {
        "worsening": (
            "総合健全性は2025年第2四半期の88点（緑）から5ポイント低下し、100点中83点（黄）となった"
            "。",
            "Joint Project Milestone Delivery：緑→赤に悪化（実績88%、目標95%）、Joint Revenue "
            "Growth：黄→緑に改善（実績6.2%、目標5%）、Executive Engagement Score：緑→黄に悪化（実"
            "績4.0、目標4.5）。",
            "2025年第2四半期以降、2件のリスクが上昇した：SR-02：9→12（高に移行）、SR-03：9→12（高"
            "に移行）。",
            "本会議には2件の決定が求められている。最も早い期限は2025年10月31日（D-02）。前回レビュ"
            "ーのアクション1件が期限超過である（A-02、期限2025年9月30日）。",
        ),
        "improving": (
            "総合健全性は2025年第2四半期の78点（黄）から5ポイント上昇し、100点中83点（黄）となった"
            "。",
            "Cost Synergy Realization：赤→黄に改善（実績$1.8M、目標$2.0M）。",
            "未解決リスク4件のうち3件が高または重大と評価されている：SR-02：12（高）、SR-03：12（"
            "高）、SR-01：10（高）。",
            "本会議には2件の決定が求められている。最も早い期限は2025年10月31日（D-02）。前回レビュ"
            "ーのアクション1件が期限超過である（A-02、期限2025年9月30日）。",
        ),
        "unchanged": (
            "総合健全性は2025年第2四半期から変わらず100点中83点（黄）である。",
            "2025年第2四半期以降、ステータスが変化したKPIはない。6件のKPIのうち3件が緑、2件が黄、1"
            "件が赤（Joint Project Milestone Delivery、実績88%、目標95%）。",
            "未解決リスク4件のうち3件が高または重大と評価されている：SR-02：12（高）、SR-03：12（"
            "高）、SR-01：10（高）。",
            "本会議には2件の決定が求められている。最も早い期限は2025年10月31日（D-02）。前回レビュ"
            "ーのアクション1件が期限超過である（A-02、期限2025年9月30日）。",
        ),
        "first_quarter": (
            "総合健全性は100点中83点（黄）である。2025年第3四半期は最初にアーカイブされた四半期の"
            "ため、比較できる過去の四半期はない。",
            "6件のKPIのうち3件が緑、2件が黄、1件が赤（Joint Project Milestone Delivery、実績88%、"
            "目標95%）。",
            "未解決リスク4件のうち3件が高または重大と評価されている：SR-02：12（高）、SR-03：12（"
            "高）、SR-01：10（高）。",
            "本会議には2件の決定が求められている。最も早い期限は2025年10月31日（D-02）。前回レビュ"
            "ーのアクション1件が期限超過である（A-02、期限2025年9月30日）。",
        ),
        "all_green": (
            "総合健全性は100点中100点（緑）である。2025年第3四半期は最初にアーカイブされた四半期の"
            "ため、比較できる過去の四半期はない。",
            "6件のKPIはすべて緑である。",
            "本会議に求められる決定はない。",
        ),
        "all_no_data": (
            "総合健全性は100点中0点（赤）である。2025年第3四半期は最初にアーカイブされた四半期のた"
            "め、比較できる過去の四半期はない。",
            "6件のKPIのいずれにも今四半期の実績がなく、すべて「データなし」である。",
            "未解決リスク4件のうち3件が高または重大と評価されている：SR-02：12（高）、SR-03：12（"
            "高）、SR-01：10（高）。",
            "本会議には2件の決定が求められている。最も早い期限は2025年10月31日（D-02）。前回レビュ"
            "ーのアクション1件が期限超過である（A-02、期限2025年9月30日）。",
        ),
        "only_risks_changed": (
            "総合健全性は2025年第2四半期から変わらず100点中83点（黄）である。",
            "2025年第2四半期以降、ステータスが変化したKPIはない。6件のKPIのうち3件が緑、2件が黄、1"
            "件が赤（Joint Project Milestone Delivery、実績88%、目標95%）。",
            "2025年第2四半期以降、1件のリスクが上昇した：SR-01：6→10（高に移行）。新規は1件：SR-04"
            "：9（中）。",
            "本会議には2件の決定が求められている。最も早い期限は2025年10月31日（D-02）。前回レビュ"
            "ーのアクション1件が期限超過である（A-02、期限2025年9月30日）。",
        ),
        "overdue_decisions": (
            "総合健全性は2025年第2四半期から変わらず100点中83点（黄）である。",
            "2025年第2四半期以降、ステータスが変化したKPIはない。6件のKPIのうち3件が緑、2件が黄、1"
            "件が赤（Joint Project Milestone Delivery、実績88%、目標95%）。",
            "未解決リスク4件のうち3件が高または重大と評価されている：SR-02：12（高）、SR-03：12（"
            "高）、SR-01：10（高）。",
            "本会議には2件の決定が求められている（うち2件が期限超過）。最も早いものの期限は2025年"
            "10月31日であった（D-02、20日超過）。前回レビューのアクション1件が期限超過である（A-02"
            "、期限2025年9月30日）。",
        ),
        "many_overdue_actions": (
            "総合健全性は100点中83点（黄）である。2025年第3四半期は最初にアーカイブされた四半期の"
            "ため、比較できる過去の四半期はない。",
            "6件のKPIのうち3件が緑、2件が黄、1件が赤（Joint Project Milestone Delivery、実績88%、"
            "目標95%）。",
            "未解決リスク4件のうち3件が高または重大と評価されている：SR-02：12（高）、SR-03：12（"
            "高）、SR-01：10（高）。",
            "本会議には2件の決定が求められている。最も早い期限は2025年10月31日（D-02）。前回レビュ"
            "ーのアクション6件が期限超過である（A-1、A-2、A-3、ほか3件）。",
        ),
    },
}
