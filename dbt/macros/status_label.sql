{#- Vietnamese label of an attainment status code (the dashboards show these). -#}
{% macro status_label(status_column) -%}
    case {{ status_column }}
        when 'vuot' then 'Vượt'
        when 'dat' then 'Đạt'
        when 'dung_tien_do' then 'Đúng tiến độ'
        when 'cham_tien_do' then 'Chậm tiến độ'
        when 'chua_dat' then 'Chưa đạt'
        when 'khong_dat' then 'Không đạt'
        when 'thieu_so_lieu' then 'Thiếu số liệu'
    end
{%- endmacro %}
