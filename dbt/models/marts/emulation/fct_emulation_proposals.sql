{#- Each current commendation proposal with its evidence checked and the Council's
    decision. Evidence: the targets it names (fct_emulation_proposal_evidence) and, for an
    office, its reporting timeliness by the end of the occasion's month
    (fct_reporting_compliance, on Vietnam's calendar day as there): periods due by then,
    completed on time, completed late, still missing. evidence_flag is true where the
    figures do not bear the proposal out: a named target not reached nor on pace, or a
    report still missing. state: 'cho_xet' without a decision, else the decision's outcome
    (da_duyet, khong_duyet, doi_hinh_thuc); final_award_form the form decided. -#}
with

proposals as (
    select * from {{ ref('stg_emulation__proposals') }}
),

decisions as (
    select * from {{ ref('stg_emulation__decisions') }}
),

units as (
    select * from {{ ref('int_emulation_units') }}
),

evidence as (
    select * from {{ ref('fct_emulation_proposal_evidence') }}
),

compliance as (
    select * from {{ ref('fct_reporting_compliance') }}
),

with_month as (
    select
        proposals.*,
        case
            when proposals.occasion = 'so_ket' then 6
            when proposals.occasion = 'tong_ket' then 12
            when extract(year from proposals.proposed_on) = proposals.plan_year
                then extract(month from proposals.proposed_on)::integer
            else 12
        end as evidence_month
    from proposals
),

dated as (
    select
        *,
        plan_year::text || '-' || lpad(evidence_month::text, 2, '0') as evidence_period,
        (make_date(plan_year, evidence_month, 1) + interval '1 month' - interval '1 day')::date as evidence_date
    from with_month
),

evidence_summary as (
    select
        plan_year,
        proposal_id,
        count(*) as targets_named,
        count(*) filter (where is_supported) as targets_supported,
        string_agg(
            case when not is_supported then target_code || ' (' || status_vi || ')' end,
            ', ' order by target_position
        ) as targets_not_supported
    from evidence
    group by plan_year, proposal_id
),

timeliness as (
    select
        dated.plan_year,
        dated.proposal_id,
        count(compliance.due_date) as reports_due,
        count(*) filter (
            where (compliance.completed_at at time zone 'Asia/Ho_Chi_Minh')::date <= compliance.due_date
        ) as reports_on_time,
        count(*) filter (
            where (compliance.completed_at at time zone 'Asia/Ho_Chi_Minh')::date > compliance.due_date
            and (compliance.completed_at at time zone 'Asia/Ho_Chi_Minh')::date <= dated.evidence_date
        ) as reports_late
    from dated
    inner join units on dated.unit_code = units.unit_code
    inner join compliance
        on
            units.office_code = compliance.office_code
            and dated.plan_year = compliance.plan_year
            and dated.evidence_date >= compliance.due_date
    where units.unit_type = 'phong'
    group by dated.plan_year, dated.proposal_id
),

joined as (
    select
        dated.*,
        units.unit_type,
        units.unit_name,
        units.office_code,
        coalesce(evidence_summary.targets_named, 0) as targets_named,
        coalesce(evidence_summary.targets_supported, 0) as targets_supported,
        evidence_summary.targets_not_supported,
        timeliness.reports_due,
        timeliness.reports_on_time,
        timeliness.reports_late,
        timeliness.reports_due - timeliness.reports_on_time - timeliness.reports_late as reports_missing,
        decisions.outcome,
        decisions.new_award_form,
        decisions.decision_number,
        decisions.decided_on,
        decisions.signer
    from dated
    inner join units on dated.unit_code = units.unit_code
    left join evidence_summary
        on
            dated.plan_year = evidence_summary.plan_year
            and dated.proposal_id = evidence_summary.proposal_id
    left join timeliness
        on
            dated.plan_year = timeliness.plan_year
            and dated.proposal_id = timeliness.proposal_id
    left join decisions
        on
            dated.plan_year = decisions.plan_year
            and dated.proposal_id = decisions.proposal_id
),

final as (
    select
        plan_year::integer as plan_year,
        proposal_id::text as proposal_id,
        occasion::text as occasion,
        (case occasion
            when 'so_ket' then 'Sơ kết (giữa năm)'
            when 'tong_ket' then 'Tổng kết (cuối năm)'
            when 'chuyen_de' then 'Chuyên đề'
            when 'dot_xuat' then 'Đột xuất'
        end)::text as occasion_vi,
        nominee_kind::text as nominee_kind,
        (case nominee_kind when 'tap_the' then 'Tập thể' else 'Cá nhân' end)::text as nominee_kind_vi,
        unit_code::text as unit_code,
        unit_type::text as unit_type,
        unit_name::text as unit_name,
        office_code::text as office_code,
        person_name::text as person_name,
        person_position::text as person_position,
        (case when nominee_kind = 'tap_the' then unit_name else person_name || ', ' || unit_name end)::text
            as nominee_vi,
        award_form::text as award_form,
        achievement::text as achievement,
        evidence_targets::text as evidence_targets,
        proposing_unit::text as proposing_unit,
        proposed_on::date as proposed_on,
        evidence_period::text as evidence_period,
        targets_named::integer as targets_named,
        targets_supported::integer as targets_supported,
        targets_not_supported::text as targets_not_supported,
        reports_due::integer as reports_due,
        reports_on_time::integer as reports_on_time,
        reports_late::integer as reports_late,
        reports_missing::integer as reports_missing,
        (targets_supported < targets_named or coalesce(reports_missing, 0) > 0) as evidence_flag,
        (case
            when targets_supported < targets_named and coalesce(reports_missing, 0) > 0
                then
                    'Số liệu chưa chứng minh: ' || targets_not_supported || '; còn ' || reports_missing
                    || ' kỳ báo cáo chưa nộp'
            when targets_supported < targets_named
                then 'Số liệu chưa chứng minh: ' || targets_not_supported
            when coalesce(reports_missing, 0) > 0
                then 'Còn ' || reports_missing || ' kỳ báo cáo chưa nộp'
            when targets_named = 0 then 'Không nêu chỉ tiêu minh chứng'
            else 'Số liệu phù hợp với đề nghị'
        end)::text as evidence_note_vi,
        coalesce(outcome, 'cho_xet')::text as state,
        (case coalesce(outcome, 'cho_xet')
            when 'cho_xet' then 'Chờ xét'
            when 'da_duyet' then 'Đã duyệt'
            when 'khong_duyet' then 'Không duyệt'
            when 'doi_hinh_thuc' then 'Đổi hình thức'
        end)::text as state_vi,
        decision_number::text as decision_number,
        decided_on::date as decided_on,
        signer::text as signer,
        (case
            when outcome = 'da_duyet' then award_form
            when outcome = 'doi_hinh_thuc' then new_award_form
        end)::text as final_award_form,
        file_id::bigint as file_id,
        received_at::timestamptz as received_at
    from joined
)

select * from final
