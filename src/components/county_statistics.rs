//! The county's 统计 tab: each statistic as a small table with a bar per line (drawn with
//! widths through the style object: the Content-Security-Policy refuses `style`
//! attributes), and 下载 Excel, the same tables as a workbook (in WeChat, by a one-time
//! link).

use leptos::prelude::*;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::{CountyStatistics, Tally};
use tongxing_core::Lang;

use super::{progress_bar, ExportButton, Loading, ProblemNotice};
use crate::context::use_lang;
use crate::township_client::TownshipClient;

/// The tab; `refreshes` counts the 刷新 taps.
#[component]
pub fn CountyStatisticsTab(refreshes: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let read = RwSignal::new(None::<CountyStatistics>);
    let problem = RwSignal::new(None::<TownshipProblem>);
    Effect::new(move |_| {
        refreshes.track();
        problem.set(None);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().read::<CountyStatistics>(&TownshipRequest::CountyStatistics).await {
                Ok(stats) => drop(read.try_set(Some(stats))),
                Err(refused) => drop(problem.try_set(Some(refused))),
            }
        });
    });
    let workbook = Signal::derive(|| Some(TownshipRequest::CountyWorkbook));
    view! {
        <div class="county-statistics" data-testid="county-statistics">
            <ExportButton request=workbook testid="county-workbook" label=("下载 Excel", "Download Excel") />
            {move || problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            {move || {
                let lang = lang.get();
                read.with(|read| match read {
                    None => view! { <Loading /> }.into_any(),
                    Some(stats) => tables(stats, lang).into_any(),
                })
            }}
        </div>
    }
}

fn township_name(township: &str, lang: Lang) -> &str {
    if township.is_empty() {
        lang.pick("（未登记乡镇）", "(no township)")
    } else {
        township
    }
}

fn tables(stats: &CountyStatistics, lang: Lang) -> impl IntoView {
    let townships: Vec<Tally> = stats
        .by_township
        .iter()
        .map(|line| {
            let name = township_name(&line.township, lang);
            Tally {
                key: line.township.clone(),
                label_zh: name.to_owned(),
                label_en: name.to_owned(),
                count: line.children,
            }
        })
        .collect();
    let months: Vec<Tally> = stats
        .by_month
        .iter()
        .map(|m| Tally { key: m.month.clone(), label_zh: m.month.clone(), label_en: m.month.clone(), count: m.visits })
        .collect();
    let reports: Vec<Tally> = stats
        .by_month
        .iter()
        .map(|m| Tally {
            key: m.month.clone(),
            label_zh: m.month.clone(),
            label_en: m.month.clone(),
            count: m.mandatory_reports,
        })
        .collect();
    view! {
        <section class="statistic" data-testid="statistic-summary">
            <h2>{lang.pick("概况", "Overview")}</h2>
            <p data-testid="statistic-children" data-count=stats.children.to_string()>
                {format!("{}{}", lang.pick("儿童人数：", "Children: "), stats.children)}
            </p>
            <p data-testid="statistic-coverage" data-visited=stats.coverage.visited.to_string() data-due=stats.coverage.due.to_string()>
                {format!("{}{}/{}", lang.pick("本月已走访 ", "Visited this month "), stats.coverage.visited, stats.coverage.due)}
            </p>
            {progress_bar(stats.coverage.visited, stats.coverage.due)}
            <p data-testid="statistic-certified" data-certified=stats.workers.certified.to_string() data-workers=stats.workers.workers.to_string()>
                {format!("{}{}/{}", lang.pick("已通过培训考核的工作人员 ", "Workers certified "), stats.workers.certified, stats.workers.workers)}
            </p>
            {progress_bar(stats.workers.certified, stats.workers.workers)}
        </section>
        {table("statistic-category", lang.pick("按儿童类别", "By category"), &stats.by_category, lang)}
        {table("statistic-colour", lang.pick("按风险等级（最近一次走访）", "By colour (latest visit)"), &stats.by_colour, lang)}
        {table("statistic-township", lang.pick("按乡镇", "By township"), &townships, lang)}
        {certified_by_township(stats, lang)}
        {table("statistic-age", lang.pick("按年龄", "By age"), &stats.by_age, lang)}
        {table("statistic-month", lang.pick("每月走访次数（近12个月）", "Visits per month (last 12)"), &months, lang)}
        {table("statistic-reports", lang.pick("每月强制报告（近12个月）", "Mandatory reports per month (last 12)"), &reports, lang)}
        {table("statistic-benefits", lang.pick("政策链接（近12个月）", "Policies linked (last 12 months)"), &stats.benefits, lang)}
    }
}

/// Each township's field workers certified (培训考核) of all, with a bar.
fn certified_by_township(stats: &CountyStatistics, lang: Lang) -> impl IntoView {
    view! {
        <section class="statistic" data-testid="statistic-township-certified">
            <h2>{lang.pick("各乡镇培训考核", "Certified by township")}</h2>
            <table class="statistic-table">
                <tbody>
                    {stats.by_township.iter().filter(|line| line.workers > 0).map(|line| view! {
                        <tr data-key=line.township.clone() data-count=line.certified.to_string() data-workers=line.workers.to_string()>
                            <th scope="row">{township_name(&line.township, lang).to_owned()}</th>
                            <td class="count">{format!("{}/{}", line.certified, line.workers)}</td>
                            <td class="bar-cell">{progress_bar(line.certified, line.workers)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// A heading, then one row a line: its name, its count and a bar against the largest.
fn table(testid: &'static str, heading: &'static str, lines: &[Tally], lang: Lang) -> impl IntoView {
    let most = lines.iter().map(|line| line.count).max().unwrap_or(0);
    view! {
        <section class="statistic" data-testid=testid>
            <h2>{heading}</h2>
            {lines.is_empty().then(|| view! { <p class="muted">{lang.pick("暂无。", "None yet.")}</p> })}
            <table class="statistic-table">
                <tbody>
                    {lines.iter().map(|line| view! {
                        <tr data-key=line.key.clone() data-count=line.count.to_string()>
                            <th scope="row">{if lang == Lang::ZhCn { line.label_zh.clone() } else { line.label_en.clone() }}</th>
                            <td class="count">{line.count}</td>
                            <td class="bar-cell">{progress_bar(line.count, most)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
